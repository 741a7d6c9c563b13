"""Hostile and odd input to a room: the socket answers with an error and stays up,
nothing is left counted present; forms answer 422, never 500; a ballot changed
outside the room is not shown stale to a newcomer; a room cannot be made without a
chair or in year 1."""

import json
from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from consultation.ballots import services as ballot_services
from consultation.rooms import consumers, lobby, services
from consultation.rooms.events import room_group
from consultation.rooms.models import Reaction, Room, RoomParticipant, Statement
from consultation.rooms.selectors import presence_topic
from neighbourhoods.models import Membership
from tests.consultation.rooms import test_room_consumer as base
from tests.consultation.rooms.helpers import build_hall, compound_council_room
from yishi import livehub, livepresence

# The room socket tests' fixtures and helpers.
application = base.application
close_thread_connections = base.close_thread_connections
_joined = base._joined


def _action(name: str, params: dict, request_id=1) -> str:
    return json.dumps(
        {"type": "action", "name": name, "request_id": request_id, "params": params}
    )


def _first_statement(hall) -> int:
    return services.room_action(
        room_id=hall.room.pk, actor=hall.chair, name="statement", params={"text": "x"}
    )["statement"]["id"]


FRAMES = {
    # (frame, the error code expected)
    "id as text": (
        _action("react", {"statement_id": "abc", "kind": "agree"}),
        "invalid",
    ),
    "id as list": (_action("react", {"statement_id": [1], "kind": "agree"}), "invalid"),
    "id as object": (
        _action("react", {"statement_id": {"a": 1}, "kind": "agree"}),
        "invalid",
    ),
    "id as a float": (
        _action("react", {"statement_id": 1.0, "kind": "agree"}),
        "invalid",
    ),
    "id as Infinity": (
        '{"type":"action","name":"react","request_id":1,'
        '"params":{"statement_id":Infinity,"kind":"agree"}}',
        "invalid",
    ),
    "id past a bigint": (
        _action("react", {"statement_id": 2**70, "kind": "agree"}),
        "invalid",
    ),
    "statement with NUL": (_action("statement", {"text": "a\x00b"}), "bad_statement"),
    "statement with half a surrogate pair": (
        '{"type":"action","name":"statement","request_id":1,'
        '"params":{"text":"a\\ud800b"}}',
        "bad_statement",
    ),
    "nested past the parser": ("[" * 8000 + "]" * 8000, "bad_json"),
}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", list(FRAMES))
async def test_a_hostile_frame_is_answered_and_the_socket_stays(application, case):
    hall = await sync_to_async(build_hall)()
    await sync_to_async(_first_statement)(hall)
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    seat = (await sync_to_async(hall.seat)(hall.members[0])).pk
    frame, code = FRAMES[case]
    await member.send_to(text_data=frame)
    error = await member.receive_json_from(timeout=5)
    assert error["type"] == "error", error
    assert error["code"] == code, error
    if code != "bad_json":
        assert error["status"] == 422
    # Still up: it answers a ping, and is still counted present and in its groups.
    await member.send_json_to({"type": "ping", "id": 7})
    assert await member.receive_json_from(timeout=5) == {"type": "pong", "id": 7}
    assert livepresence._local[presence_topic(hall.room.pk)][seat] == 1
    # The connection and the process's entry for the room (lobby).
    assert livehub.local_count(room_group(hall.room.pk)) == 2
    counts = await sync_to_async(
        lambda: (Statement.objects.count(), Reaction.objects.count())
    )()
    assert counts == (1, 0)  # nothing written
    await member.disconnect()
    # Leaving undoes everything (a crashed consumer never did).
    assert livepresence._local.get(presence_topic(hall.room.pk), {}).get(seat, 0) == 0
    assert livehub.local_count(room_group(hall.room.pk)) == 0
    assert hall.room.pk not in lobby._by_room()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_unexpected_failure_is_answered_with_server_error(
    application, monkeypatch, caplog
):
    from consultation.rooms import consumers

    hall = await sync_to_async(build_hall)()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(consumers, "room_action", broken)
    await member.send_to(text_data=_action("hand_raise", {}, request_id="r-1"))
    error = await member.receive_json_from(timeout=5)
    assert error == {
        "type": "error",
        "code": "server_error",
        "detail": error["detail"],
        "request_id": "r-1",
        "status": 500,
    }
    assert "服务器出错" in error["detail"]
    assert "the database went away" in caplog.text  # logged, not shown
    await member.send_json_to({"type": "ping", "id": 1})
    assert (await member.receive_json_from(timeout=5))["type"] == "pong"
    await member.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_only_ids_that_encode_are_echoed(application):
    hall = await sync_to_async(build_hall)()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    await member.send_to(text_data='{"type":"ping","id":NaN}')
    assert await member.receive_json_from(timeout=5) == {"type": "pong", "id": None}
    await member.send_to(text_data='{"type":"ping","id":"\\udc00"}')
    assert await member.receive_json_from(timeout=5) == {"type": "pong", "id": None}
    await member.send_json_to({"type": "ping", "id": "x" * 101})
    assert await member.receive_json_from(timeout=5) == {"type": "pong", "id": None}
    await member.send_json_to({"type": "ping", "id": "第1次"})
    assert await member.receive_json_from(timeout=5) == {"type": "pong", "id": "第1次"}
    await member.send_to(
        text_data='{"type":"action","name":"nope","request_id":[1],"params":{}}'
    )
    error = await member.receive_json_from(timeout=5)
    assert error["type"] == "error"
    assert "request_id" not in error  # a list is not sent back
    await member.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_snapshot_requests_count_against_the_rate_limit(application, monkeypatch):
    """Twelve requests within one second: ten snapshots, two refusals. The
    limiter's clock is held still (on a loaded machine twelve snapshots may take
    longer than the window), and presence messages that arrive meanwhile are
    not answers."""
    monkeypatch.setattr(consumers, "time", SimpleNamespace(monotonic=lambda: 100.0))
    hall = await sync_to_async(build_hall)()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    for _ in range(12):
        await member.send_json_to({"type": "snapshot_request", "seq": 0})
    kinds = []
    while len(kinds) < 12:
        kind = (await member.receive_json_from(timeout=5))["type"]
        if kind != "presence":
            kinds.append(kind)
    assert kinds.count("snapshot") == 10
    assert kinds.count("error") == 2
    await member.disconnect()


def _ballot_on_the_agenda():
    room, people, staff, ballot = compound_council_room()
    item = services.agenda_item_add(
        room_id=room.pk, actor=staff, title="加装电梯", ballot_id=ballot.pk
    )
    services.room_action(
        room_id=room.pk,
        actor=people[0].user,
        name="ballot_open",
        params={"item_id": item.pk},
    )
    return room, people, staff, ballot


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_ballot_closed_outside_the_room_is_not_shown_open(application):
    room, people, staff, ballot = await sync_to_async(_ballot_on_the_agenda)()
    first, _, before = await _joined(application, people[1].user, room.pk)
    assert before["ballots"][0]["status"] == "open"
    # Closed from the ballot's own page: no room `seq`, a tally broadcast.
    await sync_to_async(ballot_services.ballot_close)(ballot_id=ballot.pk, actor=staff)
    tally = await first.receive_json_from(timeout=5)
    assert tally["type"] == "tally"
    assert tally["status"] == "closed"
    second, _, after = await _joined(application, people[2].user, room.pk)
    assert after["seq"] == before["seq"]
    assert after["ballots"][0]["status"] == "closed"
    await first.disconnect()
    await second.disconnect()
    assert livehub.local_count(f"ballot.{ballot.pk}") == 0  # the entry left too


# --- the room's forms --------------------------------------------------------


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("item_open", {"item_id": "²"}),
        ("react", {"statement_id": "①", "kind": "agree"}),
        ("statement", {"text": "a\x00b"}),
        ("react", {"statement_id": "1.5", "kind": "agree"}),
    ],
)
def test_odd_form_posts_are_refused_not_crashed(name, data):
    hall = build_hall()
    user = hall.chair if name == "item_open" else hall.members[0]
    response = _client(user).post(reverse("rooms:act", args=[hall.room.pk, name]), data)
    assert response.status_code == 422
    assert not Statement.objects.exists()


@pytest.mark.django_db
def test_odd_minutes_posts_are_refused_not_crashed():
    hall = build_hall()
    url = reverse("rooms:minutes", args=[hall.room.pk])
    response = _client(hall.members[0]).post(url, {"do": "confirm", "yes": "²"})
    assert response.status_code in (403, 422)
    secretary = _client(hall.secretary)
    secretary.post(url, {"do": "draft"})
    response = secretary.post(url, {"do": "edit", "text": "a\x00b"})
    assert response.status_code == 422
    shown = response.content.decode()  # the minutes page again, the edit kept
    assert 'role="alert"' in shown
    assert "required>a\x00b</textarea>" in shown
    assert "\x00" not in Room.objects.get(pk=hall.room.pk).minutes_text


def _room_create(hall, data: dict, **more):
    """`services.room_create` as the room form would call it with `data`."""
    return services.room_create(
        community=hall.community,
        actor=hall.staff,
        title="新会议",
        place="会议室",
        body_id=data["body"],
        chair_ids=(data["chair"],),
        **more,
    )


def _new_room_data(hall, **changes) -> dict:
    chair = Membership.objects.filter(
        body__community=hall.community, role="chair"
    ).first()
    return {
        "kind": "consultation",
        "title": "新会议",
        "place": "会议室",
        "body": chair.body_id,
        "chair": chair.person_id,
        **changes,
    }


@pytest.mark.django_db
def test_the_chair_cannot_also_be_the_secretary():
    hall = build_hall()
    data = _new_room_data(hall)
    data["secretary"] = data["chair"]
    url = reverse("rooms:room_new", args=[hall.community.slug])
    response = _client(hall.staff).post(url, data)
    assert response.status_code == 422
    assert "主持人和记录人须为不同的人" in response.content.decode()
    assert not Room.objects.filter(title="新会议").exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(services.RecordsError) as refused:
        _room_create(hall, data, secretary_id=data["chair"])
    assert refused.value.code == "chair_is_secretary"
    assert not RoomParticipant.objects.filter(room__title="新会议").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held_at", "refused"),
    [
        ("0001-01-01T00:00", True),
        ("1999-12-31T23:59", True),
        ("2000-01-01T08:00", False),
        ("9999-12-31T23:59", True),
    ],
)
def test_a_room_is_held_in_a_plausible_year(held_at, refused):
    hall = build_hall()
    url = reverse("rooms:room_new", args=[hall.community.slug])
    response = _client(hall.staff).post(url, _new_room_data(hall, held_at=held_at))
    made = Room.objects.filter(title="新会议").first()
    if refused:
        assert response.status_code == 422
        assert "2000 年至 2099 年之间" in response.content.decode()
        assert made is None
    else:
        assert response.status_code == 302
        page = _client(hall.chair).get(reverse("rooms:room", args=[made.pk]))
        assert page.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_room_that_fails_half_made_leaves_nothing(monkeypatch):
    """room_create is one transaction: a failure after the meeting's row leaves
    neither the meeting nor the room (a helper once took its decorator)."""
    from consultation.records.models import Meeting
    from consultation.rooms.services import setup

    hall = build_hall()
    before = (Meeting.objects.count(), Room.objects.count())
    data = _new_room_data(hall)

    def broken(*args, **kwargs):
        raise RuntimeError("the audit failed")

    monkeypatch.setattr(setup, "audit", broken)
    with pytest.raises(RuntimeError):
        _room_create(hall, data)
    assert (Meeting.objects.count(), Room.objects.count()) == before
