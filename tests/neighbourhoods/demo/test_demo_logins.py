"""The demo logins and the printed table: who they are, and what is never printed."""

import pytest
from django.contrib.auth import authenticate, get_user_model

from neighbourhoods import demo
from neighbourhoods.models import (
    Body,
    Community,
    ExclusivePart,
    Membership,
    Person,
    Representative,
)
from neighbourhoods.permissions import can_change_register, can_view_register
from yishi.privacy import ID_NUMBER_RE, PHONE_RE, id_number_checksum_ok, id_number_hash

from .helpers import USERNAMES

pytestmark = pytest.mark.django_db


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
