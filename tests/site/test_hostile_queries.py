"""Issue 9, item 19: no input answers 500, query strings and form fields included.

The complement of test_hostile_paths.py, which fuzzes path parameters. Here:

* The parameter names come from the code itself: every project module (not tests,
  not migrations) is parsed with `ast` for what it reads from `request.GET` and
  `request.POST` — `.get("…")`, `.getlist("…")`, `["…"]`, `"…" in` — directly,
  through a local alias (`post = request.POST`), through a function it is passed to
  (`api.ballot_page(request.GET, …)`), and as the fields of a form class bound to it
  (`RollExportForm(request.GET)`). A new parameter is fuzzed without editing this.
* The pages: every URL pattern without path parameters (test_hostile_paths' walk),
  every address the demo (`manage.py seed_demo`) prints, every live Wagtail page,
  and the project's patterns with parameters filled with the demo's real objects;
  one page per route (per page type for Wagtail's pages).
* Each page is requested anonymously, as the demo's resident and as its
  administrator (a superuser), first with PROBE in every known name at once. A
  view of ours that read the query string (watched on `WSGIRequest.GET`) is then
  sent every name set at once to each hostile value, and every name twice; a
  third-party one (Wagtail's and Django's admin) FEW. The administrator also posts
  the probe in every known form field to each of our pages, and the hostile values
  to those whose view read the form. Every answer must be < 500.

All failures are gathered and reported at once, each with the exception and the
line it came from (ours, else the library's).
"""

from __future__ import annotations

import ast
import io
import logging
import re
import traceback
from functools import cache
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from tests.site.test_hostile_paths import _has_parameters, _patterns, fill
from tests.test_architecture import BASE_DIR, PACKAGES, project_modules

HOSTILE = [
    "\x00",
    "%00",  # sent encoded: the view reads the three characters
    "９９",  # full-width digits: int() reads them, nothing else should
    "-1",
    "0",
    "9" * 40,
    "9223372036854775808",  # one past a bigint
    "1e309",  # float("1e309") is inf
    "NaN",
    "2026-13-45",
    "0001-01-01",
    "9999-12-31",
    "<script>alert(1)</script>",
    "社区",
    "a" * 5000,
    "",
]
# Raw query-string text, not encoded by the client: bytes that are not UTF-8 and a
# broken escape. (A raw "%00" is what the client sends for "\x00" above.)
RAW = ["%ff%fe", "%"]
# Every page is first sent this in every name: CJK, markup, a NUL and length, what
# code that only echoes the address (a sign-in redirect's `next`, a form's hidden
# field) could trip on. The NUL is not first: a guard refusing a leading control
# character would hide the rest. Pages of ours that read the query string are then
# sent each of HOSTILE, RAW and repeated names; third-party pages that read it
# (Wagtail's and Django's admin), FEW (the probe's text without its NUL and length,
# which a guard may refuse early); the others, the probe only.
PROBE = "社区<script>\x00" + "a" * 600
FEW = ["社区"]
# Posted in every field to the views of ours that read their form (after PROBE): a
# subset of HOSTILE, one value of each kind.
POSTED = ["\x00", "９９", "-1", "9" * 40, "2026-13-45", "a" * 5000]
PER_VIEW = 1  # pages kept per route (per page type for Wagtail's pages)
THIRD_PARTY_PREFIXES = ("admin/", "django-admin/", "^admin/", "_util/", "documents/")
# Names the third-party screens we serve read themselves (Wagtail's and Django's
# admin: pagination, ordering, pop-ups); cheap to add to every request.
THIRD_PARTY_NAMES = ("p", "o", "ordering", "_popup", "_to_field")
USERS = ("anonymous", "resident", "admin")  # demo logins (seed_demo)
PROJECT = tuple(PACKAGES)  # import names: yishi, neighbourhoods, …
DEMO_ADDRESS = re.compile(r"http://127\.0\.0\.1:8000(/[^\s（）]*)")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# Slug parameters the demo has a value for, by name.
DEMO_SLUGS = {"community": "yangguang", "district": "dongqu"}

# ---- the names the code reads ------------------------------------------------------


def _is_request(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "request") or (
        isinstance(node, ast.Attribute) and node.attr == "request"
    )


def _is_source(node: ast.AST, kind: str, names: set[str]) -> bool:
    """`request.GET` (`kind`), `self.request.GET`, an alias of it, `… or None`."""
    if isinstance(node, ast.BoolOp):
        return any(_is_source(value, kind, names) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _is_source(node.body, kind, names)
    if isinstance(node, ast.Name):
        return node.id in names
    return (
        isinstance(node, ast.Attribute)
        and node.attr == kind
        and _is_request(node.value)
    )


def _aliases(function: ast.AST, kind: str, names: set[str]) -> set[str]:
    """`names` and the local names bound to the source (`post = request.POST`,
    `post, user = request.POST, request.user`)."""
    names = set(names)
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for name, value in pairs:
                if isinstance(name, ast.Name) and _is_source(value, kind, names):
                    names.add(name.id)
    return names


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _key_read(node: ast.AST, kind: str, names: set[str]) -> str | None:
    """The name read by `src.get("…")`, `src.getlist("…")`, `src["…"]`, `"…" in src`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("get", "getlist")
        and node.args
        and _is_source(node.func.value, kind, names)
    ):
        return _text(node.args[0])
    if isinstance(node, ast.Subscript) and _is_source(node.value, kind, names):
        return _text(node.slice)
    if (
        isinstance(node, ast.Compare)
        and isinstance(node.ops[0], ast.In | ast.NotIn)
        and _is_source(node.comparators[0], kind, names)
    ):
        return _text(node.left)
    return None


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _reads(function: ast.AST, kind: str, names: set[str]):
    """The names `function` reads from the source, and where it passes the source on:
    (callee, position) with position an index or a keyword."""
    names = _aliases(function, kind, names)
    keys, passed = set(), set()
    for node in ast.walk(function):
        key = _key_read(node, kind, names)
        if key:
            keys.add(key)
        if isinstance(node, ast.Call) and _callee(node):
            for position, arg in enumerate(node.args):
                if _is_source(arg, kind, names):
                    passed.add((_callee(node), position))
            for keyword in node.keywords:
                if keyword.arg and _is_source(keyword.value, kind, names):
                    passed.add((_callee(node), keyword.arg))
    return keys, passed


@cache
def _definitions():
    """Every function of the project by name, every class as (module, name), and
    the functions of the modules whose text says `.GET` / `.POST`, by that word."""
    functions: dict[str, list[ast.AST]] = {}
    classes: dict[str, list[tuple[str, str]]] = {}
    mentions: dict[str, list[ast.AST]] = {"GET": [], "POST": []}
    for name, module in project_modules().items():
        if ".migrations" in name:
            continue
        text = module.path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.setdefault(node.name, []).append(node)
                for kind, found in mentions.items():
                    found += [node] if f".{kind}" in text else []
            elif isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append((name, node.name))
    return functions, classes, mentions


def _parameter(function: ast.AST, position: int | str) -> str | None:
    """The name of the parameter a call's argument lands in (methods skip self)."""
    arguments = [*function.args.posonlyargs, *function.args.args]
    if isinstance(position, str):
        every = arguments + function.args.kwonlyargs
        return position if position in {arg.arg for arg in every} else None
    if arguments and arguments[0].arg in ("self", "cls"):
        position += 1
    return arguments[position].arg if position < len(arguments) else None


def _form_fields(targets: list[tuple[str, str]]) -> set[str]:
    fields = set()
    for module, name in targets:
        fields.update(getattr(getattr(import_module(module), name), "base_fields", {}))
    return fields


@cache
def names_read(kind: str) -> tuple[str, ...]:
    """Every name the project reads from `request.<kind>` (GET or POST), followed
    through aliases, the functions the query dict is passed to and bound forms."""
    functions, classes, mentions = _definitions()
    keys: set[str] = set()
    seen: set[tuple[int, str]] = set()
    work = [(function, frozenset()) for function in mentions[kind]]
    while work:
        function, names = work.pop()
        found, passed = _reads(function, kind, set(names))
        keys |= found
        for callee, position in passed:
            keys |= _form_fields(classes.get(callee, []))
            for target in functions.get(callee, []):
                parameter = _parameter(target, position)
                if parameter and (id(target), parameter) not in seen:
                    seen.add((id(target), parameter))
                    work.append((target, frozenset({parameter})))
    return tuple(sorted(keys | _template_reads(kind)))


def _template_reads(kind: str) -> set[str]:
    """`{{ request.GET.name }}` and `{% if request.GET.name %}` in our templates."""
    read = re.compile(rf"request\.{kind}\.(\w+)")
    return {
        name
        for folder in PACKAGES.values()
        for path in folder.rglob("*.html")
        for name in read.findall(path.read_text(encoding="utf-8"))
    }


def test_the_names_are_found_in_the_code():
    get, post = names_read("GET"), names_read("POST")
    for name in ("q", "page", "next", "version", "find", "from", "to", "after"):
        assert name in get
    assert {"page_size", "community"} <= set(get)  # api.ballot_page(request.GET)
    assert "format" in get  # RollExportForm(request.GET), a form's field
    assert "pledged" in get  # residents_pact/pact_page.html
    assert {"phone", "code", "action", "channels", "principal"} <= set(post)
    assert "department" in post  # `post = request.POST` then `post.get(…)`


# ---- the pages --------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module inside a transaction rolled back at its
    end (as tests/neighbourhoods/demo/conftest.py does; each test runs in a
    savepoint of it), and the pages to fuzz (`pages`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out, stderr=io.StringIO())
        yield pages(sorted(set(DEMO_ADDRESS.findall(out.getvalue()))))
        transaction.set_rollback(True)


def _first_pks(stem: str, words: set[str]) -> list[str]:
    """The first row of each model whose name starts or ends with `stem`, those
    whose name also holds a word of the route first (`pacts/<page_id>`: PactPage
    before HomePage): real objects, whatever the sequences say."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.model_name.endswith(stem)
        or model._meta.model_name.startswith(stem)
    ]
    models.sort(key=lambda m: not any(w in m._meta.model_name for w in words))
    found = []
    for model in models:
        first = model._default_manager.order_by("pk").values_list("pk").first()
        if first and str(first[0]) not in found:
            found.append(str(first[0]))
    return found


def _filled(text: str) -> list[str]:
    """The pattern with each parameter set to a real object of the demo, likeliest
    first ([] where a parameter has no such value: a token, a hash, an action)."""
    words = {word.removesuffix("s") for word in re.findall(r"[a-z]{3,}", text)}
    paths = [text]
    for converter, name in PARAMETER.findall(text):
        if converter in ("id", "int"):
            stem = name.removesuffix("_id")
            values = _first_pks(stem, words - {stem})
        else:
            values = [DEMO_SLUGS[name]] if name in DEMO_SLUGS else []
        token = f"<{converter}:{name}>" if converter else f"<{name}>"
        paths = [path.replace(token, value, 1) for path in paths for value in values]
    return [fill(path, "") for path in paths]


def _view_key(path: str) -> str:
    """What answers `path`: the route's name (the same view with other objects has
    the same), else the path itself."""
    try:
        return resolve(path).view_name or path
    except Resolver404:
        return path


def pages(addresses: list[str]) -> list[str]:
    """Every page to fuzz, at most PER_VIEW per route (per page type for Wagtail's
    pages): patterns without parameters, the demo's addresses, the live Wagtail
    pages, and our patterns (not the admins') filled with the demo's objects."""
    from wagtail.models import Page

    found = {address: _view_key(address) for address in addresses}
    for text in _patterns():
        if not _has_parameters(text):
            found[fill(text, "")] = _view_key(fill(text, ""))
        elif not text.startswith(THIRD_PARTY_PREFIXES):
            found.update((path, _view_key(path)) for path in _filled(text))
    for page in Page.objects.live().specific():
        if page.url:
            found[page.url] = type(page).__qualname__
    kept: dict[str, list[str]] = {}
    for url in found:  # the demo's own addresses first, then the likeliest objects
        if found[url].endswith("logout"):
            continue  # Wagtail's drops the session cookie even on a refused GET
        same = kept.setdefault(found[url], [])
        if len(same) < PER_VIEW:
            same.append(url)
    return sorted(url for urls in kept.values() for url in urls)


def _ours(path: str) -> bool:
    """Whether our code answers `path` (our views, and our Wagtail pages)."""
    try:
        module = resolve(path).func.__module__ or ""
    except Resolver404:
        return False
    return module.startswith(PROJECT) or module == "wagtail.views"


@pytest.mark.django_db
def test_the_pages_include_real_objects(demo_pages):
    found = demo_pages
    assert "/search/" in found
    assert "/yangguang/residents-pact/" in found  # a Wagtail page of the demo
    assert any(re.fullmatch(r"/ballots/\d+/", url) for url in found)
    assert any(re.fullmatch(r"/disclosures/entry/\d+/", url) for url in found)
    assert _ours("/api/ballots/")
    assert not _ours("/admin/pages/")


# ---- the requests -----------------------------------------------------------------


class Watch:
    """Stands in for `WSGIRequest.GET`, a cached_property (so no `__set__`: once read,
    the instance's own value is used), and notes that the request read it."""

    def __init__(self, name: str):
        self.original = WSGIRequest.__dict__[name]
        self.read = False

    def __get__(self, request, owner=None):
        if request is None:
            return self
        self.read = True
        return self.original.__get__(request, owner)


class WatchProperty(Watch):
    """The same for `WSGIRequest.POST`, a property with a setter."""

    def __set__(self, request, value):
        self.original.__set__(request, value)


@pytest.fixture
def watch(monkeypatch):
    """Watches on `request.GET` and `request.POST`, by name: a page that reads
    neither is sent the probe only."""
    watches = {"GET": Watch("GET"), "POST": WatchProperty("POST")}
    for name, watched in watches.items():
        monkeypatch.setattr(WSGIRequest, name, watched)
    return watches


def _where(error: BaseException) -> str:
    """The deepest line of our code in the traceback; where there is none, the
    deepest line outside Django itself (the library that called it), else the
    deepest line."""
    frames = traceback.extract_tb(error.__traceback__)
    folders = [f"{folder}/" for folder in PACKAGES.values()]
    ours = [f for f in frames if f.filename.startswith(tuple(folders))]
    outside = [f for f in frames if "/site-packages/django/" not in f.filename]
    frame = (ours or outside or frames)[-1]
    path = Path(frame.filename)
    shown = path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path
    return f"{shown}:{frame.lineno}"


def _check(client, method: str, url: str, who: str, sent, failures: list[str]):
    """Send `sent` (what to report, query string or form); note an answer >= 500 or
    an exception, with the line of our code it came from, in `failures`."""
    label, payload = sent
    try:
        if method == "GET":
            response = client.get(f"{url}?{payload}")
        else:
            response = client.post(url, payload)
    except Exception as error:  # what the test looks for
        text = str(error).replace("\n", " ")[:60]
        problem = f"{type(error).__name__} ({text!r}) at {_where(error)}"
        failures.append(f"{method} {url} <{label}> as {who}: {problem}")
        return
    if response.status_code >= 500:
        failures.append(f"{method} {url} <{label}> as {who}: {response.status_code}")


def _show(value: str) -> str:
    return repr(value) if len(value) <= 20 else f"{value[:12]!r}…({len(value)})"


def _queries(names: tuple[str, ...], values: list[str], raw: list[str]):
    """(what to report, query string): every name set to each value, then to each raw
    text, then every name given twice."""
    queries = [(_show(v), urlencode([(n, v) for n in names])) for v in values]
    queries += [(f"raw {r}", "&".join(f"{n}={r}" for n in names)) for r in raw]
    queries.append(("repeated 1&2", urlencode([(n, v) for n in names for v in "12"])))
    return queries


def _get_walk(client: Client, who: str, urls: list[str], watch: Watch):
    """Each page with PROBE in every name; then, if the view read the query string,
    with each of HOSTILE, RAW and repeated names (our views) or of FEW (others).
    Returns the failures and the number of requests."""
    names = (*names_read("GET"), *THIRD_PARTY_NAMES)
    probe = ("probe", urlencode([(name, PROBE) for name in names]))
    full, few = _queries(names, HOSTILE, RAW), _queries(names, FEW, [])[: len(FEW)]
    failures, count = [], 0
    for url in urls:
        watch.read = False
        _check(client, "GET", url, who, probe, failures)
        queries = (full if _ours(url) else few) if watch.read else []
        for query in queries:
            _check(client, "GET", url, who, query, failures)
        count += 1 + len(queries)
    return failures, count


def _post_walk(client: Client, urls: list[str], watch: Watch):
    """Each of our pages posted PROBE in every field; where the view read the form,
    each of POSTED and every field twice."""
    names = names_read("POST")
    first = ("probe", dict.fromkeys(names, PROBE))
    others = [(_show(v), dict.fromkeys(names, v)) for v in POSTED]
    others.append(("repeated 1&2", {name: ["1", "2"] for name in names}))
    failures, count = [], 0
    for url in (url for url in urls if _ours(url)):
        watch.read = False
        _check(client, "POST", url, "admin", first, failures)
        forms = others if watch.read else []
        for form in forms:
            _check(client, "POST", url, "admin", form, failures)
        count += 1 + len(forms)
    return failures, count


@pytest.fixture
def quiet(caplog):
    """Hundreds of refusals (404, 403, 405) would each be logged as a warning: only
    errors are, for the length of the test."""
    for name in ("django.request", "django.security"):
        caplog.set_level(logging.ERROR, logger=name)


def _client(who: str) -> Client:
    client = Client(raise_request_exception=True)
    if who != "anonymous":
        client.force_login(get_user_model().objects.get(username=who))
    return client


def _report(failures: list[str], count: int) -> str:
    return f"{len(failures)} of {count} requests answered 500:\n" + "\n".join(failures)


@pytest.mark.parametrize("who", USERS)
def test_no_hostile_query_answers_500(who, demo_pages, db, watch, quiet):
    django_cache.clear()  # no page answered from a page kept by an earlier run
    failures, count = _get_walk(_client(who), who, demo_pages, watch["GET"])
    assert not failures, _report(failures, count)


def test_no_hostile_form_answers_500_to_staff(demo_pages, db, watch, quiet):
    django_cache.clear()
    failures, count = _post_walk(_client("admin"), demo_pages, watch["POST"])
    assert not failures, _report(failures, count)
