"""Room pages and the form fallback of every action."""

import pytest
from django.urls import reverse

from consultation.rooms.models import AgendaItem, Statement
from tests.consultation.rooms.helpers import build_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return build_hall()


def test_room_page_for_members_and_staff(client, hall, django_assert_max_num_queries):
    url = reverse("rooms:room", args=[hall.room.pk])
    client.force_login(hall.members[0])
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "居民议事会第三次会议" in text
    assert "加装电梯" in text
    assert "举手发言" in text
    assert "主持人操作" not in text
    client.force_login(hall.chair)
    assert "主持人操作" in client.get(url).content.decode()
    client.force_login(hall.staff)
    assert client.get(url).status_code == 200


def test_room_page_refusals(client, hall):
    url = reverse("rooms:room", args=[hall.room.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(hall.outsider)
    assert client.get(url).status_code == 403
    assert client.get(reverse("rooms:room", args=[999999])).status_code == 404
    projector = reverse("rooms:projector", args=[hall.room.pk])
    assert client.get(projector).status_code == 403


def test_projector(client, hall):
    client.force_login(hall.staff)
    page = client.get(reverse("rooms:projector", args=[hall.room.pk]))
    assert page.status_code == 200
    assert "发言队列" in page.content.decode()


def _act(client, hall, name, **data):
    return client.post(reverse("rooms:act", args=[hall.room.pk, name]), data)


def test_forms_run_the_services(client, hall):
    client.force_login(hall.members[0])
    answer = _act(client, hall, "statement", text="同意")
    assert answer.status_code == 302
    assert Statement.objects.get().text == "同意"
    statement = Statement.objects.get()
    assert (
        _act(client, hall, "react", statement_id=statement.pk, kind="agree").status_code
        == 302
    )
    assert _act(client, hall, "hand_raise").status_code == 302
    page = client.get(reverse("rooms:room", args=[hall.room.pk])).content.decode()
    assert "同意" in page
    client.force_login(hall.chair)
    item = AgendaItem.objects.filter(room=hall.room).first()
    assert _act(client, hall, "item_open", item_id=str(item.pk)).status_code == 302
    assert _act(client, hall, "floor_next").status_code == 302
    seat = hall.seat(hall.members[0]).pk
    assert _act(client, hall, "mute", participant_id=seat, muted="1").status_code == 302
    client.force_login(hall.secretary)
    assert (
        _act(
            client, hall, "presence_mark", participant_id=seat, in_hall="1"
        ).status_code
        == 302
    )


def test_form_refusals(client, hall):
    client.force_login(hall.members[0])
    assert _act(client, hall, "statement").status_code == 422
    assert _act(client, hall, "timer_set", seconds="abc").status_code == 422
    assert _act(client, hall, "floor_next").status_code == 403
    refused = _act(client, hall, "statement", text="议" * 2001)
    assert refused.status_code == 422  # the room again, the statement kept:
    assert "议" * 2001 + "</textarea>" in refused.content.decode()
    assert 'href="#statement-text"' in refused.content.decode()
    assert _act(client, hall, "nothing").status_code == 404
    assert (
        client.get(reverse("rooms:act", args=[hall.room.pk, "floor_next"])).status_code
        == 405
    )
    assert not Statement.objects.exists()
