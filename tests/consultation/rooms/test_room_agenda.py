"""Staff put items on an open room's agenda from its page (the agenda form)."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation.rooms import services
from consultation.rooms.models import AgendaItem, RoomEvent
from tests.consultation.rooms.helpers import build_hall

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _add(user, room, **data):
    fields = {f"agenda-{k}": v for k, v in data.items()}
    return _client(user).post(reverse("rooms:agenda_add", args=[room.pk]), fields)


def test_staff_see_the_form_and_members_do_not():
    hall = build_hall()
    page = _client(hall.staff).get(reverse("rooms:room", args=[hall.room.pk]))
    assert "增加议程" in page.content.decode()
    # The page carries its login's socket ticket: no shared cache keeps it.
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    for user in (hall.chair, hall.members[0]):
        page = _client(user).get(reverse("rooms:room", args=[hall.room.pk]))
        assert page.status_code == 200
        assert "增加议程" not in page.content.decode()


def test_an_item_goes_to_the_end_and_is_announced():
    hall = build_hall()
    seq = hall.room.seq
    answer = _add(hall.staff, hall.room, title="  垃圾分类亭选址  ")
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("rooms:room", args=[hall.room.pk]))
    item = AgendaItem.objects.get(room=hall.room, title="垃圾分类亭选址")
    assert item.position == 4
    event = RoomEvent.objects.get(room=hall.room, seq=seq + 1)
    assert event.payload["type"] == "agenda"
    assert [i["title"] for i in event.payload["agenda"]][-1] == "垃圾分类亭选址"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "errorlist"),
        ({"title": "   "}, "errorlist"),
        ({"title": "长" * 201}, "200"),
        ({"title": "议题", "matter": "abc"}, "有效"),
        ({"title": "议题", "ballot": "9" * 30}, "有效"),
        ({"title": "议题", "ballot": "-1"}, "有效"),
    ],
)
def test_a_bad_form_comes_back_with_its_errors_and_writes_nothing(data, message):
    hall = build_hall()
    answer = _add(hall.staff, hall.room, **data)
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert AgendaItem.objects.filter(room=hall.room).count() == 3


def test_members_outsiders_and_visitors_may_not_add():
    hall = build_hall()
    for user in (hall.chair, hall.members[0], hall.outsider):
        assert _add(user, hall.room, title="不该加上").status_code == 403
    visitor = Client().post(
        reverse("rooms:agenda_add", args=[hall.room.pk]), {"agenda-title": "x"}
    )
    assert visitor.status_code == 302  # to sign in
    assert not AgendaItem.objects.filter(title__in=["不该加上", "x"]).exists()
    assert Client().get(reverse("rooms:agenda_add", args=[hall.room.pk])).status_code
    assert (
        _client(hall.staff)
        .get(reverse("rooms:agenda_add", args=[hall.room.pk]))
        .status_code
        == 405
    )
    assert _add(hall.staff, hall.room.__class__(pk=999999999)).status_code == 404


def test_a_closed_rooms_agenda_is_fixed():
    hall = build_hall()
    services.room_action(
        room_id=hall.room.pk, actor=hall.chair, name="close", params={}
    )
    page = _client(hall.staff).get(reverse("rooms:room", args=[hall.room.pk]))
    assert "增加议程" not in page.content.decode()
    assert _add(hall.staff, hall.room, title="会后再加").status_code == 409
    assert not AgendaItem.objects.filter(title="会后再加").exists()


def test_an_item_with_the_ballot_the_chair_will_open():
    from consultation.rooms.models import Room
    from tests.consultation.rooms.helpers import compound_council_room

    room, _people, staff, ballot = compound_council_room()
    page = _client(staff).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert ballot.title in page  # offered in the form
    answer = _add(staff, Room(pk=room.pk), title="加装电梯", ballot=str(ballot.pk))
    assert answer.status_code == 302
    item = AgendaItem.objects.get(room=room, title="加装电梯")
    assert item.ballot_id == ballot.pk
    # Another community's ballot is not offered, and refused if sent.
    other = build_hall()
    answer = _add(other.staff, other.room, title="借用", ballot=str(ballot.pk))
    assert answer.status_code == 422
    assert not AgendaItem.objects.filter(title="借用").exists()
