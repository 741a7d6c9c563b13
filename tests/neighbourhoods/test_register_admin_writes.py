"""The register admin writes through the services: every save and deletion audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from neighbourhoods import models, services
from tests.neighbourhoods.factories import (
    CommunityFactory,
    CompoundFactory,
    PersonFactory,
    StaffAssignmentFactory,
    SubdistrictFactory,
    UserFactory,
)
from yishi.audit import AuditEntry

pytestmark = pytest.mark.django_db


def url(model, view, *args) -> str:
    return reverse(f"admin:neighbourhoods_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def reg():
    street = SubdistrictFactory()
    a = CommunityFactory(subdistrict=street, name="甲社区")
    b = CommunityFactory(subdistrict=street, name="乙社区")
    return type("Reg", (), {"street": street, "a": a, "b": b})


@pytest.fixture
def editor(reg):
    user = UserFactory(is_staff=True)
    StaffAssignmentFactory(user=user, community=reg.a)
    return user


def test_adding_and_changing_a_person_leaves_two_lines(client, reg, editor):
    client.force_login(editor)
    data = {"full_name": "新居民", "home_community": reg.a.pk, "phone": ""}
    assert client.post(url(models.Person, "add"), data).status_code == 302
    person = models.Person.objects.get(full_name="新居民")
    data["full_name"] = "改名"
    response = client.post(url(models.Person, "change", person.pk), data)
    assert response.status_code == 302
    lines = list(AuditEntry.objects.order_by("id"))
    assert [line.action for line in lines] == ["person_create", "person_update"]
    assert {line.actor for line in lines} == {editor}
    assert {line.community_id for line in lines} == {reg.a.pk}
    assert lines[1].detail == {"fields": ["full_name"]}


def test_deleting_one_or_several_rows_leaves_a_line_each(client, reg, editor):
    people = [PersonFactory(home_community=reg.a) for _ in range(3)]
    client.force_login(editor)
    response = client.post(url(models.Person, "delete", people[0].pk), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        url(models.Person, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [p.pk for p in people[1:]],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not models.Person.objects.filter(pk__in=[p.pk for p in people]).exists()
    deleted = AuditEntry.objects.filter(action="person_delete")
    assert sorted(deleted.values_list("target_id", flat=True)) == sorted(
        str(p.pk) for p in people
    )


def test_a_compounds_communities_are_saved_with_it(client, reg):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {
        "subdistrict": reg.street.pk,
        "communities": [reg.a.pk, reg.b.pk],
        "name": "跨界小区",
        "slug": "kuajie",
        "address": "",
        "developer_name": "",
    }
    assert client.post(url(models.Compound, "add"), data).status_code == 302
    compound = models.Compound.objects.get(slug="kuajie")
    assert set(compound.communities.all()) == {reg.a, reg.b}
    line = AuditEntry.objects.get(action="compound_create")
    assert sorted(line.detail["links"]["communities"]) == sorted([reg.a.pk, reg.b.pk])


def test_a_building_outside_its_compounds_communities_gets_the_form_back(
    client, reg, editor
):
    StaffAssignmentFactory(user=editor, community=reg.b)
    garden = CompoundFactory(subdistrict=reg.street, communities=[reg.a])
    client.force_login(editor)
    response = client.post(
        url(models.Building, "add"),
        {"compound": garden.pk, "community": reg.b.pk, "number": "9"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [str(services.BUILDING_OUTSIDE_COMPOUND)]
    assert not models.Building.objects.exists()
    assert not AuditEntry.objects.exists()


def test_staff_rights_granted_in_the_admin_are_audited(client, reg):
    root = UserFactory(is_staff=True, is_superuser=True)
    someone = UserFactory()
    client.force_login(root)
    response = client.post(
        url(models.StaffAssignment, "add"),
        {"user": someone.pk, "role": "viewer", "community": reg.a.pk},
    )
    assert response.status_code == 302
    line = AuditEntry.objects.get(action="staffassignment_create")
    assert (line.actor, line.community_id) == (root, reg.a.pk)
