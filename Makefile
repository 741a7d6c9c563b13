# Yishi: `make run` serves the demo; `make test` runs the whole suite.
# With DATABASE_URL / REDIS_URL set, both use PostgreSQL and channels_redis.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format messages install system-deps migrate demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the project needs: gettext (translations), Chromium and CJK fonts
# (browser tests), poppler-utils (PDF checks). Installed only where missing and apt works.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -d /usr/share/fonts/opentype/noto || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "WARNING: could not install$$missing; browser tests will be skipped"; \
	  else echo "WARNING: missing$$missing (install them as root); some tests will be skipped"; fi; \
	fi

messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv >/dev/null; \
	else echo "msgfmt not found: using the committed .mo files"; fi

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --address $(HOST):$(PORT)

run: $(STAMP) messages demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) system-deps messages
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pytest tests/bench -o addopts="-p no:cacheprovider" -q -s

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var static_collected
