"""Benchmark fixtures: committed data in the test PostgreSQL, real ASGI servers.

Run with `make bench` (see docs/benchmarks.md). Benchmarks need PostgreSQL
(DATABASE_URL) and are skipped with that reason without it. Data is committed (no test
transaction) so that the server processes see it; pytest-django drops the test
database at the end of the session.

Every benchmark adds its figures to one report, printed at the end of the run and
written to var/bench/latest.md (YISHI_BENCH_REPORT overrides the path), so that the
figures of one run can be compared side by side.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.asgi_servers import database_url_of

BASE_DIR = Path(__file__).resolve().parents[2]
CSRF_TOKEN_LENGTH = 32


# --- the report ------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    """What the figures were measured on (the machines are shared: say which)."""
    import django
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "unknown"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "load average at start (1/5/15 min)": load,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
    }


class BenchReport:
    def __init__(self) -> None:
        self.sections: list[str] = []

    def add(self, title: str, rows: list[tuple[str, str]], note: str = "") -> None:
        lines = [f"### {title}", "", "| figure | value |", "| --- | --- |"]
        lines += [f"| {name} | {value} |" for name, value in rows]
        if note:
            lines += ["", note]
        self.sections.append("\n".join(lines))
        print("\n" + self.sections[-1], flush=True)

    def render(self, machine: dict[str, str]) -> str:
        head = ["## Run", "", "| | |", "| --- | --- |"]
        head += [f"| {name} | {value} |" for name, value in machine.items()]
        return "\n\n".join(["\n".join(head), *self.sections]) + "\n"


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database, although no benchmark carries a `django_db` marker.

    pytest-django creates only the databases that marked tests name, and a marker
    would wrap each benchmark in a transaction (invisible to the server) or flush
    the tables after it (losing the module's 10,000 owners).
    """
    from django.test.utils import setup_databases, teardown_databases

    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases={"default"},
            keepdb=keepdb,
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session")
def bench_db(django_db_setup, django_db_blocker):
    """Database access for the whole run, outside any test transaction (committed)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("benchmarks need PostgreSQL: set DATABASE_URL")
    with django_db_blocker.unblock():
        yield connection


@pytest.fixture(scope="session")
def bench_report(bench_db):
    report = BenchReport()
    machine = machine_info()
    yield report
    if not report.sections:
        return
    text = report.render(machine)
    target = Path(
        os.environ.get("YISHI_BENCH_REPORT", BASE_DIR / "var" / "bench" / "latest.md")
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"\n\n{text}\n(report written to {target})", flush=True)


# --- a compound of owners, each logged in ------------------------------------------


@dataclass(frozen=True)
class OwnersRegister:
    compound: object
    community: object
    staff: object
    person_ids: list[int]
    session_keys: list[str]  # session_keys[i] is logged in as person_ids[i]
    sessions: dict[str, dict]  # session key → what login() stored in it
    session_expiry: int  # seconds


def warm_session_cache(register: OwnersRegister, cache_prefix: str) -> None:
    """Put every owner's session in the server's cache, as login() does.

    With SESSION_ENGINE cached_db, login() saves the session to the database and to
    the cache; a later request reads it from the cache. The register writes the rows
    in bulk, so without this every vote would be a cache miss that a resident who
    logged in to vote would not see.
    """
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache

    engine = settings.SESSION_ENGINE
    assert engine == "yishi.sessions", engine  # cached_db, with its cache keys
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    # Sessions have a cache of their own (prefix "<prefix>-sessions"); the code
    # before 2026-12 kept them in the default cache: a comparison may serve both.
    for prefix in (cache_prefix, cache_prefix + "-sessions"):
        cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": prefix})
        cache.set_many(
            {KEY_PREFIX + key: data for key, data in register.sessions.items()},
            register.session_expiry,
        )


def bench_building():
    """A building in a compound of its own community, with codes unique per run.

    The factories' sequences restart in every process: with --reuse-db (or a
    database kept from an earlier run) their codes would collide.
    """
    from tests.neighbourhoods.factories import (
        BuildingFactory,
        CommunityFactory,
        CompoundFactory,
        SubdistrictFactory,
    )

    tag = secrets.token_hex(4)
    subdistrict = SubdistrictFactory(code=f"{secrets.randbelow(10**9):09d}")
    community = CommunityFactory(
        subdistrict=subdistrict,
        code=f"{subdistrict.code}{secrets.randbelow(1000):03d}",
        slug=f"bench-{tag}",
    )
    compound = CompoundFactory(
        subdistrict=subdistrict, communities=[community], slug=f"bench-{tag}"
    )
    return BuildingFactory(compound=compound, community=community, number="1")


def analyze_tables(connection, *models) -> None:
    """Fresh planner statistics after a bulk insert, as autovacuum gives soon after."""
    names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")


def checkpoint(connection) -> None:
    """Write out what the set-up's bulk inserts left in WAL before a timed run.

    As pgbench does before its runs: otherwise the checkpoint that the set-up's WAL
    calls for lands inside the timed run, and its writes and fsyncs stall commits
    there. The runs' own WAL is measured as it comes.
    """
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def _bulk_owners(building, tag: str, n: int) -> tuple[list, list]:
    """n users, each a person owning one dwelling of the building (bulk inserts)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from neighbourhoods.models import ExclusivePart, Ownership, Person

    User = get_user_model()
    community = building.community
    password = make_password("bench-Yishi-2026")  # once: the test hasher is MD5
    users = User.objects.bulk_create(
        (User(username=f"bench-{tag}-{i}", password=password) for i in range(n)),
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        (
            Person(full_name=f"业主{i}", home_community=community, user=users[i])
            for i in range(n)
        ),
        batch_size=2000,
    )
    parts = ExclusivePart.objects.bulk_create(
        (
            ExclusivePart(
                building=building,
                kind=ExclusivePart.Kind.DWELLING,
                number=f"{tag}-{i}",
                # 60.00 to 149.99 m², in 0.01 m²: weights that differ per unit.
                area_register=6000 + (i * 7919) % 9000,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    Ownership.objects.bulk_create(
        (
            Ownership(part=part, person=person, basis=Ownership.Basis.REGISTERED)
            for part, person in zip(parts, people, strict=True)
        ),
        batch_size=2000,
    )
    return users, people


def _bulk_sessions(users) -> tuple[list[str], dict[str, dict], dt.datetime]:
    """What django.contrib.auth.login() stores, without 10,000 logins.

    Returns the session keys (in the order of users), what each session holds, and
    when they expire.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    # As login() records it: the backend that signs users in (django-axes' backend,
    # listed first, only counts failures and loads nobody).
    backend = "neighbourhoods.backends.PersonModelBackend"
    assert backend in settings.AUTHENTICATION_BACKENDS
    expires = timezone.now() + dt.timedelta(hours=2)
    keys = [
        get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") for _ in users
    ]
    sessions = {
        key: {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        for key, user in zip(keys, users, strict=True)
    }
    Session.objects.bulk_create(
        (
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=expires,
            )
            for key, data in sessions.items()
        ),
        batch_size=2000,
    )
    return keys, sessions, expires


def build_owners_register(n: int) -> OwnersRegister:
    """n dwellings, each with one owner who has a user and a live session (bulk)."""
    from django.utils import timezone

    from tests.neighbourhoods.factories import StaffAssignmentFactory

    building = bench_building()
    community = building.community
    staff = StaffAssignmentFactory(community=community).user
    tag = secrets.token_hex(4)  # unique names even with --reuse-db
    users, people = _bulk_owners(building, tag, n)
    keys, sessions, expires = _bulk_sessions(users)
    return OwnersRegister(
        compound=building.compound,
        community=community,
        staff=staff,
        person_ids=[person.pk for person in people],
        session_keys=keys,
        sessions=sessions,
        session_expiry=int((expires - timezone.now()).total_seconds()),
    )


def server_env(connection, **extra: str) -> dict[str, str]:
    """Production settings as behind a TLS proxy (the proxy adds X-Forwarded-Proto)."""
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.settings",
        # The sessions were signed by this process: the server needs the same key.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        YISHI_ID_HASH_KEY=settings.ID_NUMBER_HASH_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url_of(connection),
        YISHI_CACHE_PREFIX=f"yishi-bench-{secrets.token_hex(4)}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def csrf_token() -> str:
    """A CSRF secret as the csrftoken cookie holds it (also valid as the header)."""
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    assert len(token) == CSRF_TOKEN_LENGTH
    return token
