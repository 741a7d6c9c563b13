"""The staff form that opens a room offers the residents' meeting and the owners'
assembly, seated from the roll of the chosen basis; refused to others; bad input
is a 422, never a 500."""

import pytest
from django.urls import reverse

from consultation.rooms.models import Room
from neighbourhoods.models import Body, Membership
from tests.consultation.rooms.assembly_helpers import build_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg():
    reg = build_register(6)
    committee = Body.objects.create(
        community=reg.community, kind=Body.Kind.RESIDENTS_COMMITTEE, name="居委会"
    )
    for person in reg.people[:2]:
        Membership.objects.create(body=committee, person=person, role="member")
    reg.committee = committee
    return reg


def _url(reg):
    return reverse("rooms:room_new", args=[reg.community.slug])


def test_the_form_offers_the_meeting_kinds(client, reg):
    client.force_login(reg.staff)
    page = client.get(_url(reg))
    assert page.status_code == 200
    text = page.content.decode()
    for words in (
        "居民会议（按名册）",
        "业主大会（按名册）",
        "每户派代表",
        reg.compound.name,
    ):
        assert words in text
    client.force_login(reg.outsider)
    assert client.get(_url(reg)).status_code == 403


def test_staff_open_an_owners_assembly_of_the_compound(client, reg):
    client.force_login(reg.staff)
    answer = client.post(
        _url(reg),
        {
            "kind": "owners_assembly",
            "title": "幸福里业主大会",
            "place": "小区会所",
            "body": reg.committee.pk,
            "basis": "owners",
            "compound": reg.compound.pk,
            "chair": reg.people[0].pk,
            "secretary": reg.people[1].pk,
            "invited": [reg.people[1].pk],
        },
    )
    room = Room.objects.get(title="幸福里业主大会")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("rooms:room", args=[room.pk])
    assert (room.basis, room.scope_kind, room.scope_id) == (
        "owners",
        "compound",
        reg.compound.pk,
    )
    assert room.roll_heads == 6


@pytest.mark.parametrize(
    "changes",
    [
        {"basis": "owners"},  # a residents' meeting on the owners' roll
        {"basis": ""},
        {"chair": "abc"},
        {"compound": "999999"},
        {"kind": "fly"},
    ],
)
def test_bad_input_is_refused_not_a_500(client, reg, changes):
    client.force_login(reg.staff)
    data = {
        "kind": "residents_meeting",
        "title": "居民会议",
        "place": "广场",
        "basis": "household_representatives",
        "chair": reg.people[0].pk,
        **changes,
    }
    answer = client.post(_url(reg), data)
    assert answer.status_code == 422
    assert not Room.objects.exists()


def test_assembly_room_page_counts_households_and_finds_seats(client, reg):
    from tests.consultation.rooms.assembly_helpers import assembly_room

    room = assembly_room(reg, "residents_meeting", "household_representatives")
    url = reverse("rooms:room", args=[room.pk])
    client.force_login(reg.users[3])
    page = client.get(url).content.decode()
    assert "应到 6 户，实到 0 户" in page
    assert "按姓名查找参会人" not in page  # members do not mark the hall
    client.force_login(reg.users[1])  # the secretary
    page = client.get(url, {"find": "居民4"}).content.decode()
    assert "按姓名查找参会人" in page
    assert "居民4" in page
    assert "居民5" not in page
    client.force_login(reg.staff)
    owners = assembly_room(reg, "owners_assembly", "owners")
    page = client.get(reverse("rooms:projector", args=[owners.pk])).content.decode()
    assert "应到业主 6 人、专有部分面积 540.15 平方米" in page
