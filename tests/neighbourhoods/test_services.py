"""The register services: who may write what, the rules they check, the audit line."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from neighbourhoods import services
from neighbourhoods.models import (
    Building,
    Developer,
    ExclusivePart,
    Person,
    StaffAssignment,
)
from neighbourhoods.pages import CommunityPage
from tests.neighbourhoods.factories import (
    CommunityFactory,
    CompoundFactory,
    PersonFactory,
    StaffAssignmentFactory,
    SubdistrictFactory,
    UserFactory,
    make_id_number,
)
from yishi.audit import AuditEntry
from yishi.privacy import id_number_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg():
    street = SubdistrictFactory()
    a = CommunityFactory(subdistrict=street, name="甲社区")
    b = CommunityFactory(subdistrict=street, name="乙社区")
    garden = CompoundFactory(subdistrict=street, communities=[a])
    return type("Reg", (), {"street": street, "a": a, "b": b, "garden": garden})


def editor_of(community, role=StaffAssignment.Role.EDITOR):
    user = UserFactory()
    StaffAssignmentFactory(user=user, community=community, role=role)
    return user


def only_line() -> AuditEntry:
    assert AuditEntry.objects.count() == 1
    return AuditEntry.objects.get()


def test_the_system_creates_and_one_line_says_so(reg):
    building = services.building_create(
        actor=None, compound=reg.garden, community=reg.a, number="7"
    )
    line = only_line()
    assert (line.action, line.actor, line.actor_name) == ("building_create", None, "")
    assert line.target_type == "neighbourhoods.building"
    assert line.target_id == str(building.pk)
    assert line.community_id == reg.a.pk


def test_an_editor_writes_in_their_community_with_their_name(reg):
    editor = editor_of(reg.a)
    services.building_create(
        actor=editor, compound=reg.garden, community=reg.a, number="7"
    )
    line = only_line()
    assert line.actor == editor
    assert line.actor_name == editor.get_username()


@pytest.mark.parametrize("role", ["viewer", "other", "anonymous"])
def test_refused_writers_write_nothing(reg, role):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "viewer": lambda: editor_of(reg.a, StaffAssignment.Role.VIEWER),
        "other": lambda: editor_of(reg.b),
        "anonymous": AnonymousUser,
    }[role]()
    with pytest.raises(PermissionDenied, match="may not change"):
        services.building_create(
            actor=actor, compound=reg.garden, community=reg.a, number="7"
        )
    assert not Building.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_building_stays_within_its_compounds_communities(reg):
    with pytest.raises(services.RegisterError) as error:
        services.building_create(
            actor=None, compound=reg.garden, community=reg.b, number="7"
        )
    assert error.value.code == "building_outside_compound"
    assert "The building's community" in error.value.message
    assert not Building.objects.exists()


def test_a_compound_needs_every_community_editable(reg):
    with pytest.raises(PermissionDenied):
        services.compound_create(
            actor=editor_of(reg.a),
            subdistrict=reg.street,
            communities=[reg.a, reg.b],
            name="跨界小区",
            slug="kuajie",
        )
    compound = services.compound_create(
        actor=None,
        subdistrict=reg.street,
        communities=[reg.a, reg.b],
        name="跨界小区",
        slug="kuajie",
    )
    assert set(compound.communities.all()) == {reg.a, reg.b}
    line = AuditEntry.objects.get(action="compound_create")
    assert line.community_id is None  # two communities: subdistrict business
    assert sorted(line.detail["links"]["communities"]) == sorted([reg.a.pk, reg.b.pk])


def test_a_person_keeps_only_the_hash_and_tail_of_the_id_number(reg):
    number = make_id_number(5)
    person = services.person_create(
        actor=None, community=reg.a, full_name="新居民", id_number=number
    )
    assert person.id_number_hash == id_number_hash(number)
    assert person.id_number_last4 == number[-4:]
    line = only_line()
    assert number not in repr(line.__dict__)


VALID = make_id_number(5)
WRONG_CHECK_DIGIT = VALID[:-1] + ("1" if VALID[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("number", "code", "status"),
    [
        (WRONG_CHECK_DIGIT, "invalid_id_number", 400),
        (make_id_number(6), "id_number_taken", 409),
    ],
    ids=["checksum", "taken"],
)
def test_a_bad_id_number_is_refused_without_echoing_it(reg, number, code, status):
    PersonFactory(id_number=make_id_number(6), home_community=reg.a)
    with pytest.raises(services.RegisterError) as error:
        services.person_create(
            actor=None, community=reg.a, full_name="新居民", id_number=number
        )
    assert (error.value.code, error.value.status) == (code, status)
    assert number not in error.value.message
    assert not Person.objects.filter(full_name="新居民").exists()


def test_rights_and_logins_are_for_superusers(reg):
    editor = editor_of(reg.a)
    person = PersonFactory(home_community=reg.a)
    with pytest.raises(PermissionDenied):
        services.staff_assignment_create(
            actor=editor, user=editor, role="editor", community=reg.b
        )
    with pytest.raises(PermissionDenied):
        services.person_link_user(actor=editor, person=person, user=editor)
    root = UserFactory(is_superuser=True)
    services.person_link_user(actor=root, person=person, user=editor)
    person.refresh_from_db()
    assert person.user == editor
    assert AuditEntry.objects.get().action == "person_link_user"


def test_linking_a_login_moves_it_from_anyone_else(reg):
    user = UserFactory()
    first = PersonFactory(home_community=reg.a, user=user)
    second = PersonFactory(home_community=reg.a)
    services.person_link_user(actor=None, person=second, user=user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.user, second.user) == (None, user)
    again = AuditEntry.objects.count()
    services.person_link_user(actor=None, person=second, user=user)
    assert AuditEntry.objects.count() == again  # nothing changed, nothing logged


def test_any_editor_adds_a_developer_only_superusers_change_one(reg):
    editor = editor_of(reg.a)
    developer = services.developer_create(actor=editor, name="某置业有限公司")
    developer.name = "改名"
    with pytest.raises(PermissionDenied):
        services.register_record_save(actor=editor, record=developer, fields=["name"])
    assert Developer.objects.get().name == "某置业有限公司"


def test_a_change_is_checked_against_the_row_as_stored_and_as_it_will_be(reg):
    editor = editor_of(reg.a)
    person = PersonFactory(home_community=reg.a)
    person.home_community = reg.b
    with pytest.raises(PermissionDenied):
        services.register_record_save(
            actor=editor, record=person, fields=["home_community"]
        )
    stranger = PersonFactory(home_community=reg.b)
    stranger.home_community = reg.a
    with pytest.raises(PermissionDenied):
        services.register_record_save(
            actor=editor, record=stranger, fields=["home_community"]
        )
    assert not AuditEntry.objects.exists()


def test_changes_and_deletions_are_audited_by_field_name(reg):
    editor = editor_of(reg.a)
    person = PersonFactory(home_community=reg.a, full_name="旧名")
    person.full_name = "新名"
    services.register_record_save(actor=editor, record=person, fields=["full_name"])
    update = AuditEntry.objects.get(action="person_update")
    assert update.detail == {"fields": ["full_name"]}
    part = services.part_create(
        actor=editor,
        building=services.building_create(
            actor=editor, compound=reg.garden, community=reg.a, number="1"
        ),
        kind=ExclusivePart.Kind.DWELLING,
        number="101",
    )
    part_id = part.pk
    assert services.register_records_delete(actor=editor, records=[part]) == 1
    assert not ExclusivePart.objects.filter(pk=part_id).exists()
    line = AuditEntry.objects.get(action="exclusivepart_delete")
    assert line.target_id == str(part_id)
    assert line.community_id == reg.a.pk


def test_a_refused_deletion_deletes_none_of_the_batch(reg):
    mine = PersonFactory(home_community=reg.a)
    theirs = PersonFactory(home_community=reg.b)
    ids = [mine.pk, theirs.pk]
    with pytest.raises(PermissionDenied):
        services.register_records_delete(actor=editor_of(reg.a), records=[mine, theirs])
    assert Person.objects.filter(pk__in=ids).count() == 2
    assert not AuditEntry.objects.exists()


def test_the_page_sync_is_for_the_system_and_superusers(reg, home_page):
    with pytest.raises(PermissionDenied):
        services.register_pages_sync(actor=editor_of(reg.a))
    assert not CommunityPage.objects.exists()
    created = services.register_pages_sync(actor=UserFactory(is_superuser=True))
    assert created["communities"] == 2
    line = only_line()
    assert (line.action, line.detail["communities"]) == ("register_pages_sync", 2)
    services.register_pages_sync(actor=None)
    assert AuditEntry.objects.count() == 1  # nothing new, no line
