"""The audit log in the Django admin: who reads which lines, and nobody edits one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from neighbourhoods import services
from neighbourhoods.models import Body, StaffAssignment
from tests.neighbourhoods.factories import (
    BodyFactory,
    CommunityFactory,
    MembershipFactory,
    PersonFactory,
    StaffAssignmentFactory,
    SubdistrictFactory,
    UserFactory,
)
from yishi.audit import AuditEntry, audit_record

pytestmark = pytest.mark.django_db

LIST = reverse("admin:yishi_auditentry_changelist")
TODAY = dt.date.today()


def change_url(entry) -> str:
    return reverse("admin:yishi_auditentry_change", args=[entry.pk])


@pytest.fixture
def log():
    """Two communities of one subdistrict, a third elsewhere, and a line for each
    community plus one of no community."""
    street = SubdistrictFactory()
    a = CommunityFactory(subdistrict=street, name="甲社区")
    b = CommunityFactory(subdistrict=street, name="乙社区")
    far = CommunityFactory(name="远方社区")
    lines = {}
    for key, community in (("a", a), ("b", b), ("far", far)):
        target = PersonFactory(home_community=community, full_name=f"居民{key}")
        lines[key] = audit_record(
            actor=None,
            action=f"test_{key}",
            target=target,
            community_id=community.pk,
        )
    lines["none"] = audit_record(actor=None, action="test_none", target=a)
    return type("Log", (), {"street": street, "a": a, "b": b, "lines": lines})


def staff_user(**assignment):
    user = UserFactory(is_staff=True)
    StaffAssignmentFactory(user=user, **assignment)
    return user


def supervisor(community, *, term_end=None):
    user = UserFactory(is_staff=True)
    body = BodyFactory(community=community, kind=Body.Kind.SUPERVISORY)
    person = PersonFactory(home_community=community, user=user)
    MembershipFactory(body=body, person=person, term_end=term_end)
    return user


def actions_seen(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return {entry.action for entry in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("superuser", {"test_a", "test_b", "test_far", "test_none"}),
        ("community_editor", {"test_a"}),
        ("community_viewer", {"test_a"}),
        ("subdistrict_staff", {"test_a", "test_b", "test_none"}),
        ("supervisor", {"test_a"}),
    ],
)
def test_who_reads_which_lines(client, log, who, expected):
    users = {
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
        "community_editor": lambda: staff_user(community=log.a),
        "community_viewer": lambda: staff_user(
            community=log.a, role=StaffAssignment.Role.VIEWER
        ),
        "subdistrict_staff": lambda: staff_user(
            community=None,
            subdistrict=log.street,
            role=StaffAssignment.Role.VIEWER,
        ),
        "supervisor": lambda: supervisor(log.a),
    }
    assert actions_seen(client, users[who]()) == expected


def test_a_line_out_of_scope_cannot_be_opened(client, log):
    client.force_login(staff_user(community=log.a))
    assert client.get(change_url(log.lines["a"])).status_code == 200
    for key in ("b", "none"):
        response = client.get(change_url(log.lines[key]))
        assert response.status_code == 302  # "does not exist" for this user


@pytest.mark.parametrize(
    "make_user",
    [
        lambda log: UserFactory(is_staff=True),  # staff of nothing
        lambda log: supervisor(log.a, term_end=TODAY - dt.timedelta(days=1)),
        lambda log: supervisor_of_another_body(log.a),
    ],
    ids=["no-register-rights", "former-supervisor", "other-committee"],
)
def test_others_see_no_audit_log(client, log, make_user):
    client.force_login(make_user(log))
    assert client.get(LIST).status_code == 403
    assert client.get(change_url(log.lines["a"])).status_code in (302, 403)


def supervisor_of_another_body(community):
    """A residents' committee member is not a supervisor."""
    user = UserFactory(is_staff=True)
    person = PersonFactory(home_community=community, user=user)
    MembershipFactory(body=BodyFactory(community=community), person=person)
    return user


def test_nobody_adds_changes_or_deletes_a_line(client, log):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    entry = log.lines["a"]
    assert client.get(reverse("admin:yishi_auditentry_add")).status_code == 403
    response = client.post(change_url(entry), {"action": "changed"})
    assert response.status_code == 403
    delete = reverse("admin:yishi_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        LIST, {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    entry.refresh_from_db()
    assert entry.action == "test_a"
    assert AuditEntry.objects.count() == 4
    page = client.get(change_url(entry)).content.decode()
    assert 'name="_save"' not in page


def test_a_service_line_shows_who_what_and_where(client, log):
    editor = staff_user(community=log.a)
    person = PersonFactory(home_community=log.a, full_name="张三")
    services.person_update_contact(actor=editor, person=person, phone="13700007777")
    client.force_login(supervisor(log.a))
    html = client.get(LIST, {"q": "person_update_contact"}).content.decode()
    assert "person_update_contact" in html
    assert "张三" in html
    assert "甲社区" in html
    assert "13700007777" not in html
