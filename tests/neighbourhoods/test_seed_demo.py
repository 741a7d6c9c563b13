"""`manage.py seed_demo`: the demo community's shape, idempotence, determinism, logins.

The demo is seeded once for this module, inside a transaction that is rolled back
when the module is done, so other test modules never see it. Each test runs in its
own savepoint inside that transaction (pytest-django's `db`), so a test that wipes
or edits the demo leaves the next test the seeded database.
"""

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings

from neighbourhoods import demo
from neighbourhoods.models import (
    Body,
    Building,
    Community,
    Compound,
    Developer,
    Entrance,
    ExclusivePart,
    Grid,
    Household,
    Membership,
    Ownership,
    Person,
    Representative,
    Residency,
    ResidentsGroup,
    StaffAssignment,
    Subdistrict,
)
from neighbourhoods.pages import (
    CommunityPage,
    CompoundPage,
    PartyBranchPage,
    RepresentativePage,
)
from neighbourhoods.permissions import can_change_register, can_view_register
from yishi.models import ArticlePage
from yishi.privacy import ID_NUMBER_RE, PHONE_RE, id_number_checksum_ok, id_number_hash
from yishi.home import home_page_ensure

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
USERNAMES = (
    "admin",
    "resident",
    "owner",
    "committee",
    "secretary",
    "deputy",
    "staff_yangguang",
    "staff_bingcaogang",
)
TODAY = dt.date.today()


def seed() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of the first run; the data lives until the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def plan():
    return demo.build_plan()


def _age(birth: dt.date) -> int:
    return (
        TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
    )


# ---- A fingerprint of the content, by natural keys only (never primary keys) ----

_PART = ("building__compound__slug", "building__number", "entrance__number", "number")
_FINGERPRINT = (
    (Subdistrict, ("code", "name")),
    (Community, ("code", "name", "slug", "urban_rural_code", "subdistrict__code")),
    (ResidentsGroup, ("community__code", "number", "name")),
    (Grid, ("community__code", "name", "code", "worker_name", "worker_phone")),
    (Developer, ("name",)),
    (
        Compound,
        ("slug", "name", "address", "developer_name", "subdistrict__code"),
    ),
    (Compound.communities.through, ("compound__slug", "community__code")),
    (Building, ("compound__slug", "number", "community__code", "grid__name")),
    (Entrance, ("building__compound__slug", "building__number", "number")),
    (
        ExclusivePart,
        (
            *_PART[:2],
            "entrance__number",
            "number",
            "kind",
            "area_register",
            "area_survey",
            "area_contract",
            "unit_code",
        ),
    ),
    (
        Person,
        (
            "id_number_hash",
            "id_number_last4",
            "full_name",
            "birth_date",
            "phone",
            "home_community__code",
            "user__username",
        ),
    ),
    (
        Household,
        (
            "community__code",
            "number",
            "residents_group__number",
            *(f"dwelling__{f}" for f in _PART),
        ),
    ),
    (
        Residency,
        (
            "person__id_number_hash",
            "household__community__code",
            "household__number",
            "kind",
            "is_representative",
            "is_group_representative",
            "start_date",
            "end_date",
        ),
    ),
    (
        Ownership,
        (
            *(f"part__{f}" for f in _PART),
            "person__id_number_hash",
            "developer__name",
            "basis",
            "nominated_voter",
            "start_date",
            "end_date",
        ),
    ),
    (Body, ("community__code", "compound__slug", "kind", "name")),
    (
        Membership,
        (
            "body__community__code",
            "body__compound__slug",
            "body__kind",
            "person__id_number_hash",
            "role",
            "term_start",
            "term_end",
        ),
    ),
    (
        Representative,
        ("person__id_number_hash", "kind", "level", "title", "term_start", "term_end"),
    ),
    (
        Representative.communities.through,
        ("representative__person__id_number_hash", "community__code"),
    ),
    (
        StaffAssignment,
        ("user__username", "community__code", "subdistrict__code", "role"),
    ),
    (
        get_user_model(),
        ("username", "password", "first_name", "is_active", "is_staff", "is_superuser"),
    ),
    (ArticlePage, ("url_path", "title", "summary", "body", "live")),
    (CommunityPage, ("url_path", "title", "community__code", "live")),
    (CompoundPage, ("url_path", "title", "compound__slug", "live")),
    # Their slugs carry primary keys, which a wiped database does not reuse.
    (PartyBranchPage, ("depth", "title", "body__name", "live")),
    (RepresentativePage, ("depth", "title", "representative__title", "live")),
)


def fingerprint() -> str:
    sha = hashlib.sha256()
    for model, fields in _FINGERPRINT:
        rows = sorted(repr(row) for row in model.objects.values_list(*fields))
        sha.update(f"{model._meta.label}:{len(rows)}\n".encode())
        for row in rows:
            sha.update(row.encode() + b"\n")
    return sha.hexdigest()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def wipe_demo() -> None:
    """Delete everything the demo created, in an order PROTECT allows."""
    for page in home_page_ensure().get_children():
        page.delete()
    for model in (
        StaffAssignment,
        Representative,
        Membership,
        Body,
        Ownership,
        Residency,
        Household,
        Person,
        Developer,
        ExclusivePart,
        Entrance,
        Building,
        Grid,
        ResidentsGroup,
        Compound,
        Community,
        Subdistrict,
    ):
        model.objects.all().delete()
    get_user_model().objects.filter(username__in=USERNAMES).delete()


# ---- The shape of the demo ----


def test_places(seeded):
    assert Subdistrict.objects.count() == 1
    street = Subdistrict.objects.get()
    assert street.name == "炳草岗街道"
    assert street.code.startswith("510402")
    assert len(street.code) == 9
    assert Community.objects.count() == 2
    for community in Community.objects.all():
        assert community.code.startswith(street.code)
        assert len(community.code) == 12
    assert Compound.objects.count() == 3
    spans = Counter(
        Compound.objects.annotate(n=Count("communities")).values_list("n", flat=True)
    )
    assert spans == {1: 2, 2: 1}
    assert 10 <= Building.objects.count() <= 14
    entrances = Building.objects.annotate(n=Count("entrances")).values_list(
        "n", flat=True
    )
    assert set(entrances) == {2, 3}
    assert ResidentsGroup.objects.count() == 6
    assert not Building.objects.filter(grid__isnull=True).exists()
    assert not Grid.objects.filter(Q(worker_name="") | Q(worker_phone="")).exists()
    # A building's community is one of its compound's communities.
    for building in Building.objects.select_related("compound"):
        assert building.compound.communities.filter(pk=building.community_id).exists()


def test_exclusive_parts_and_areas(seeded):
    parts = ExclusivePart.objects.all()
    assert 550 <= parts.count() <= 650
    kinds = Counter(parts.values_list("kind", flat=True))
    assert kinds[ExclusivePart.Kind.PARKING] >= 50
    assert kinds[ExclusivePart.Kind.COMMERCIAL] >= 5
    dwellings = parts.filter(kind=ExclusivePart.Kind.DWELLING)
    for part in dwellings:
        assert 6000 <= part.counted_area <= 14000, part
    for part in parts.filter(kind=ExclusivePart.Kind.PARKING):
        assert 1100 <= part.counted_area <= 1600, part  # about 12–15 m²
    # SPI Art. 8: some parts have only a surveyed or only a contract area.
    assert parts.filter(area_register__isnull=True, area_survey__isnull=False).exists()
    assert parts.filter(
        area_register__isnull=True,
        area_survey__isnull=True,
        area_contract__isnull=False,
    ).exists()
    assert not parts.filter(
        area_register__isnull=True, area_survey__isnull=True, area_contract__isnull=True
    ).exists()
    # Registered parts carry a 28-character real-estate unit code, unique.
    codes = list(
        parts.filter(area_register__isnull=False).values_list("unit_code", flat=True)
    )
    assert all(len(code) == 28 for code in codes)
    assert len(set(codes)) == len(codes)


def test_owners_and_developer(seeded):
    current = Ownership.objects.filter(end_date__isnull=True)
    # Every part has a holder; developer-held parts have no other.
    assert not ExclusivePart.objects.filter(ownerships__isnull=True).exists()
    held = current.filter(developer__isnull=False)
    share = held.count() / ExclusivePart.objects.count()
    assert 0.03 <= share <= 0.08
    assert set(held.values_list("basis", flat=True)) == {Ownership.Basis.DEVELOPER_HELD}
    assert held.filter(part__kind=ExclusivePart.Kind.DWELLING).exists()
    assert held.filter(part__kind=ExclusivePart.Kind.PARKING).exists()
    assert not current.filter(
        part__in=held.values("part"), person__isnull=False
    ).exists()
    # Co-owned parts: exactly one nominated voter each; sole owners none.
    by_part = (
        current.filter(person__isnull=False)
        .values("part")
        .annotate(
            owners=Count("id"), voters=Count("id", filter=Q(nominated_voter=True))
        )
    )
    co_owned = [row for row in by_part if row["owners"] > 1]
    assert len(co_owned) >= 20
    assert all(row["owners"] == 2 and row["voters"] == 1 for row in co_owned)
    assert all(row["voters"] == 0 for row in by_part if row["owners"] == 1)
    # Some people own two dwellings, some a dwelling and a parking space.
    per_person = Counter(
        current.filter(person__isnull=False).values_list("person_id", "part__kind")
    )
    assert any(
        kind == ExclusivePart.Kind.DWELLING and n >= 2
        for (_, kind), n in per_person.items()
    )
    dwelling_owners = {p for (p, k) in per_person if k == ExclusivePart.Kind.DWELLING}
    parking_owners = {p for (p, k) in per_person if k == ExclusivePart.Kind.PARKING}
    assert len(dwelling_owners & parking_owners) >= 30
    assert not current.filter(person__isnull=True, developer__isnull=True).exists()
    # Owners were grown up when they bought, and nobody bought in the future.
    for start, birth in current.filter(person__isnull=False).values_list(
        "start_date", "person__birth_date"
    ):
        assert birth.replace(year=birth.year + 18, day=min(birth.day, 28)) <= start
        assert start <= demo.REFERENCE_DATE
    for start, birth in Residency.objects.values_list(
        "start_date", "person__birth_date"
    ):
        assert birth <= start <= demo.REFERENCE_DATE


def test_people_and_households(seeded):
    assert 850 <= Person.objects.count() <= 950
    births = list(Person.objects.values_list("birth_date", flat=True))
    ages = [_age(b) for b in births]
    assert sum(a < 18 for a in ages) >= 50
    assert sum(a >= 60 for a in ages) >= 100
    assert max(ages) < 100
    # Every household has exactly one current representative, an adult.
    reps = Household.objects.annotate(
        reps=Count(
            "residencies",
            filter=Q(
                residencies__is_representative=True,
                residencies__end_date__isnull=True,
            ),
        )
    )
    assert Household.objects.count() >= 300
    assert set(reps.values_list("reps", flat=True)) == {1}
    for birth in Residency.objects.filter(is_representative=True).values_list(
        "person__birth_date", flat=True
    ):
        assert _age(birth) >= 18
    assert not Household.objects.filter(
        Q(dwelling__isnull=True) | Q(residents_group__isnull=True)
    ).exists()
    # Each household lives in a dwelling of its own community.
    assert not Household.objects.exclude(
        dwelling__building__community=F("community")
    ).exists()
    # Tenants: habitual residents who own nothing.
    tenants = Person.objects.filter(
        residencies__kind=Residency.Kind.HABITUAL, ownerships__isnull=True
    )
    assert tenants.count() >= 50
    # Owners who live elsewhere have no residency but a home community.
    assert Person.objects.filter(
        residencies__isnull=True, ownerships__isnull=False
    ).exists()
    # Three representatives per residents' group (2018 law Art. 9: two or three).
    group_reps = Residency.objects.filter(is_group_representative=True)
    assert group_reps.count() == 3 * ResidentsGroup.objects.count()
    per_group = Counter(group_reps.values_list("household__residents_group", flat=True))
    assert set(per_group.values()) == {3}


def test_bodies_and_members(seeded):
    for community in Community.objects.all():
        kinds = set(
            community.bodies.filter(compound__isnull=True).values_list(
                "kind", flat=True
            )
        )
        assert kinds == {
            Body.Kind.RESIDENTS_COMMITTEE,
            Body.Kind.PARTY_ORGANISATION,
            Body.Kind.SUPERVISORY,
            Body.Kind.REPRESENTATIVES_MEETING,
            Body.Kind.COUNCIL,
        }
        party = community.bodies.get(kind=Body.Kind.PARTY_ORGANISATION)
        assert party.memberships.filter(role=Membership.Role.SECRETARY).count() == 1
        members = party.memberships.filter(role=Membership.Role.PARTY_MEMBER)
        adults = [
            b
            for b in Person.objects.filter(
                home_community=community, residencies__isnull=False
            ).values_list("birth_date", flat=True)
            if _age(b) >= 18
        ]
        assert 0.06 <= members.count() / len(adults) <= 0.10
        committee = community.bodies.get(kind=Body.Kind.RESIDENTS_COMMITTEE)
        assert committee.memberships.filter(role=Membership.Role.CHAIR).count() == 1
        assert committee.memberships.filter(role=Membership.Role.MEMBER).count() >= 3
        # Supervisors neither sit on the committee nor live with a member of it.
        committee_homes = Household.objects.filter(
            residencies__person__memberships__body=committee
        )
        supervisors = Person.objects.filter(
            memberships__body__community=community,
            memberships__body__kind=Body.Kind.SUPERVISORY,
        )
        assert supervisors.count() == 3
        assert not supervisors.filter(
            residencies__household__in=committee_homes
        ).exists()
    for compound in Compound.objects.all():
        branch = compound.bodies.get(kind=Body.Kind.PARTY_BRANCH)
        assert branch.memberships.filter(role=Membership.Role.SECRETARY).count() == 1
    boards = Counter(
        Body.objects.filter(
            kind__in=[Body.Kind.OWNERS_COMMITTEE, Body.Kind.SELF_MANAGEMENT]
        ).values_list("kind", flat=True)
    )
    assert boards == {Body.Kind.OWNERS_COMMITTEE: 2, Body.Kind.SELF_MANAGEMENT: 1}
    # Owners' committees are owners of their compound.
    for member in Membership.objects.filter(body__kind=Body.Kind.OWNERS_COMMITTEE):
        assert Ownership.objects.filter(
            person=member.person_id, part__building__compound=member.body.compound
        ).exists()
    # Seats have terms that cover today; party membership has none.
    seats = Membership.objects.exclude(role=Membership.Role.PARTY_MEMBER)
    assert not seats.filter(Q(term_start__gt=TODAY) | Q(term_end__lt=TODAY)).exists()
    assert not Membership.objects.filter(
        role=Membership.Role.PARTY_MEMBER, term_start__isnull=False
    ).exists()


def test_three_representatives(seeded):
    reps = Representative.objects.prefetch_related("communities")
    assert reps.count() == 3
    assert set(reps.values_list("kind", flat=True)) == set(Representative.Kind.values)
    assert set(reps.values_list("level", flat=True)) == {Representative.Level.DISTRICT}
    assert all(rep.communities.exists() for rep in reps)
    assert (
        Community.objects.filter(representatives__isnull=False).distinct().count() == 2
    )


def test_pages_and_articles(seeded, client):
    assert CommunityPage.objects.count() == 2
    assert CompoundPage.objects.count() == 3
    assert RepresentativePage.objects.count() == 3
    articles = ArticlePage.objects.live()
    assert set(articles.values_list("title", flat=True)) >= {"加装电梯工作方案"}
    assert articles.filter(title__contains="居务公开").exists()
    response = client.get("/search/", {"q": "电梯"})
    assert "加装电梯工作方案" in response.content.decode()


# ---- Logins and the printed table ----


def test_every_login_authenticates_with_the_printed_password(seeded):
    assert demo.DEMO_PASSWORD in seeded
    for username in USERNAMES:
        assert username in seeded
        user = authenticate(username=username, password=demo.DEMO_PASSWORD)
        assert user is not None, username
    assert authenticate(username="admin", password="wrong") is None


def test_logins_are_who_the_table_says(seeded):
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert not User.objects.filter(
        username__in=USERNAMES[1:], is_superuser=True
    ).exists()

    owner = Person.objects.get(user__username="owner")
    assert owner.ownerships.filter(
        nominated_voter=True, part__kind=ExclusivePart.Kind.DWELLING
    ).exists()
    assert owner.ownerships.filter(part__kind=ExclusivePart.Kind.PARKING).exists()
    resident = Person.objects.get(user__username="resident")
    assert not resident.ownerships.exists()
    assert resident.residencies.filter(is_representative=True).exists()
    assert Membership.objects.filter(
        person__user__username="committee",
        body__kind=Body.Kind.RESIDENTS_COMMITTEE,
    ).exists()
    assert Membership.objects.filter(
        person__user__username="secretary",
        body__kind=Body.Kind.PARTY_BRANCH,
        role=Membership.Role.SECRETARY,
    ).exists()
    assert Representative.objects.filter(
        person__user__username="deputy", kind=Representative.Kind.PEOPLES_CONGRESS
    ).exists()
    for username in ("owner", "resident", "committee", "secretary", "deputy"):
        assert Person.objects.get(user__username=username).full_name in seeded

    yangguang = Community.objects.get(slug="yangguang")
    jinsha = Community.objects.get(slug="jinsha")
    community_staff = User.objects.get(username="staff_yangguang")
    assert can_change_register(community_staff, yangguang)
    assert not can_view_register(community_staff, jinsha)
    street_staff = User.objects.get(username="staff_bingcaogang")
    assert can_view_register(street_staff, jinsha)
    assert can_view_register(street_staff, yangguang)
    assert not can_change_register(street_staff, yangguang)


def test_output_ends_with_the_logins_and_the_address(seeded):
    lines = [line for line in seeded.splitlines() if line.strip()]
    assert lines[-1].endswith("http://127.0.0.1:8000/")
    table = seeded.index("演示账号 Demo logins")
    assert all(seeded.index(name, table) > table for name in USERNAMES)
    assert "Created this run" in seeded


def test_output_never_shows_an_id_or_phone_number(seeded, plan):
    assert not ID_NUMBER_RE.search(seeded)
    assert not PHONE_RE.search(seeded)
    for person in plan.people:
        assert person.id_number not in seeded
        assert person.id_number[-8:] not in seeded


def test_id_numbers_are_valid_and_stored_only_hashed(seeded, plan):
    numbers = [p.id_number for p in plan.people]
    assert len(set(numbers)) == len(numbers)
    assert all(id_number_checksum_ok(n) for n in numbers)
    # GB 11643: the sequence digit is odd for men, even for women.
    assert all(int(p.id_number[16]) % 2 == (p.sex == "M") for p in plan.people)
    stored = dict(Person.objects.values_list("id_number_hash", "id_number_last4"))
    assert len(stored) == Person.objects.count()
    assert stored == {id_number_hash(n): n[-4:] for n in numbers}
    for value in Person.objects.values_list("full_name", "phone"):
        assert not any(ID_NUMBER_RE.search(v) for v in value)


# ---- Idempotent and deterministic ----


def test_second_run_creates_and_changes_nothing(seeded):
    counts, before = row_counts(), fingerprint()
    output = seed()
    assert row_counts() == counts
    assert fingerprint() == before
    assert "本次未新建任何记录" in output
    assert "Created this run" not in output
    assert output.splitlines()[-1].endswith("http://127.0.0.1:8000/")


def test_rerun_keeps_edits_restores_missing_rows_and_demo_passwords(seeded):
    person = Person.objects.get(user__username="owner")
    person.phone = "13900000000"
    person.save()
    residency = Residency.objects.filter(is_representative=False).first()
    key = (residency.person_id, residency.household_id)
    residency.delete()
    user = get_user_model().objects.get(username="committee")
    user.set_password("changed-by-hand-1")
    user.save()

    output = seed()

    person.refresh_from_db()
    assert person.phone == "13900000000"  # an editor's change survives
    assert Residency.objects.filter(person_id=key[0], household_id=key[1]).exists()
    assert authenticate(username="committee", password=demo.DEMO_PASSWORD)
    assert "居住关系 residencies 1" in output


def test_a_fresh_database_gets_the_same_content(seeded):
    before = fingerprint()
    wipe_demo()
    assert not Person.objects.exists()
    assert not CommunityPage.objects.exists()
    seed()
    assert fingerprint() == before


def test_the_plan_is_the_same_in_another_process(plan):
    """Set- or hash-order slips would show up under another PYTHONHASHSEED."""
    code = (
        "import django; django.setup(); "
        "from neighbourhoods.demo import build_plan; print(build_plan().digest())"
    )
    other_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONHASHSEED": other_seed,
            "DJANGO_SETTINGS_MODULE": "yishi.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == plan.digest()


@override_settings(SETTINGS_MODULE="yishi.settings.production")
def test_refuses_under_production_settings():
    with pytest.raises(CommandError, match="production"):
        seed()
