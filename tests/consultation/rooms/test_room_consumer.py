"""The room socket through the real ASGI application: who may connect, the snapshot
and its seq, every action, the rate limit, an oversize frame, a seq gap, signing out.
"""

import json

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from consultation.rooms import services
from consultation.rooms.models import AgendaItem, Room, Statement
from tests.consultation.rooms.helpers import build_hall

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
HOSTS = ["127.0.0.1", "localhost", "testserver"]


@pytest.fixture
def application(monkeypatch, settings):
    from yishi.asgi import application

    settings.YISHI_BROADCAST = "inline"
    validator = application.application_mapping["websocket"]
    assert isinstance(validator, OriginValidator)
    monkeypatch.setattr(validator, "allowed_origins", HOSTS)
    return application


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def _open(application, user, room_id, origin=b"http://testserver"):
    headers = [(b"origin", origin)]
    client = None
    if user is not None:
        client = await sync_to_async(_client_for)(user)
        name = django_settings.SESSION_COOKIE_NAME
        cookie = f"{name}={client.cookies[name].value}".encode()
        headers.append((b"cookie", cookie))
    socket = WebsocketCommunicator(
        application, f"/ws/rooms/{room_id}/", headers=headers
    )
    connected, code = await socket.connect()
    socket.client = client
    return socket, connected, code


async def _joined(application, user, room_id):
    """Connected, past hello and snapshot: (socket, hello, snapshot)."""
    socket, connected, code = await _open(application, user, room_id)
    assert connected, code
    hello = await socket.receive_json_from(timeout=5)
    snapshot = await socket.receive_json_from(timeout=5)
    assert (hello["type"], snapshot["type"]) == ("hello", "snapshot")
    return socket, hello, snapshot


async def _until(socket, kind, timeout=5):
    while True:
        message = await socket.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


async def _collect(socket, kinds: set, timeout=5) -> dict:
    """Messages of each kind in `kinds` (the first of each), in whatever order."""
    seen = {}
    while set(seen) != kinds:
        message = await socket.receive_json_from(timeout=timeout)
        if message["type"] in kinds:
            seen.setdefault(message["type"], message)
    return seen


async def _act(socket, name, request_id=1, **params):
    await socket.send_json_to(
        {
            "type": "action",
            "name": name,
            "request_id": request_id or 0,
            "params": params,
        }
    )
    return await _until(socket, "ack") if request_id else None


hall_async = sync_to_async(build_hall)


async def test_connect_and_deny_matrix(application):
    hall = await hall_async()
    room_id = hall.room.pk
    for user, code in ((None, 4401), (hall.outsider, 4403)):
        _, connected, got = await _open(application, user, room_id)
        assert not connected
        assert got == code
    _, connected, got = await _open(application, hall.chair, 999999)
    assert (connected, got) == (False, 4404)
    _, connected, _ = await _open(
        application, hall.chair, room_id, origin=b"http://evil.example"
    )
    assert not connected
    for user, role in ((hall.members[0], "member"), (hall.staff, "observer")):
        socket, hello, snapshot = await _joined(application, user, room_id)
        assert hello["role"] == role
        assert snapshot["seq"] == 3
        assert [i["title"] for i in snapshot["agenda"]] == [
            "加装电梯",
            "停车管理",
            "绿化改造",
        ]
        await socket.disconnect()
    await sync_to_async(services.room_action)(
        room_id=room_id, actor=hall.chair, name="close", params={}
    )
    _, connected, got = await _open(application, hall.chair, room_id)
    assert (connected, got) == (False, 4404)


async def test_every_action_reaches_the_others(application):
    hall = await hall_async()
    room_id = hall.room.pk
    chair, _, snapshot = await _joined(application, hall.chair, room_id)
    member, hello, _ = await _joined(application, hall.members[0], room_id)
    me = hello["participant"]
    seq = snapshot["seq"]
    items = await sync_to_async(list)(
        AgendaItem.objects.filter(room_id=room_id).values_list("pk", flat=True)
    )
    steps = [
        (chair, "item_open", {"item_id": items[0]}, "agenda"),
        (member, "hand_raise", {}, "queue"),
        (member, "hand_withdraw", {}, "queue"),
        (member, "hand_raise", {}, "queue"),
        (chair, "floor_next", {}, "floor"),
        (chair, "timer_set", {"seconds": 120}, "floor"),
        (member, "statement", {"text": "建议先征求高层住户意见。"}, "statement"),
        (chair, "mute", {"participant_id": me, "muted": False}, "muted"),
        (chair, "presence_mark", {"participant_id": me, "in_hall": True}, "hall"),
    ]
    for sender, name, params, kind in steps:
        await _act(sender, name, request_id=None, **params)
        seq += 1
        for watcher in (chair, member):
            seen = await _collect(
                watcher, {kind, "ack"} if watcher is sender else {kind}
            )
            assert seen[kind]["seq"] == seq, name
            if watcher is sender:
                assert seen["ack"]["seq"] == seq, name
    statement = await sync_to_async(Statement.objects.get)()
    await _act(chair, "react", statement_id=statement.pk, kind="agree")
    event = await _until(member, "reactions")
    assert event["reactions"]["agree"] == 1
    await _act(chair, "close")
    assert (await _until(member, "closed"))["status"] == "closed"
    await chair.disconnect()
    await member.disconnect()


async def test_refused_action_answers_an_error(application):
    hall = await hall_async()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    await _act(member, "floor_next", request_id=None)
    error = await _until(member, "error")
    assert (error["code"], error["status"]) == ("forbidden", 403)
    await member.send_json_to(
        {"type": "action", "name": "fly", "request_id": "x", "params": {}}
    )
    error = await _until(member, "error")
    assert (error["code"], error["request_id"]) == ("unknown_action", "x")
    await member.disconnect()


async def test_rate_limit_then_close(application):
    hall = await hall_async()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    await _act(member, "statement", text="第一条")
    await member.send_json_to(
        {
            "type": "action",
            "name": "statement",
            "request_id": 2,
            "params": {"text": "二"},
        }
    )
    error = await _until(member, "error")
    assert (error["code"], error["request_id"]) == ("rate_limited", 2)
    for _ in range(30):
        await member.send_json_to({"type": "action", "name": "statement", "params": {}})
    while True:
        message = await member.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            break
    assert message["code"] == 4429
    assert await sync_to_async(Statement.objects.count)() == 1


async def test_frame_cap_admits_a_full_statement_and_refuses_more(application):
    hall = await hall_async()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    frame = {"type": "action", "name": "statement", "request_id": 1}
    full = json.dumps({**frame, "params": {"text": "议" * 2000}})  # \\u8bae each
    assert len(full) > 12000
    await member.send_to(text_data=full)
    assert (await _until(member, "ack"))["request_id"] == 1
    await member.send_to(text_data=" " * (16 * 1024 + 1))
    assert (await _until(member, "error"))["code"] == "too_large"
    await member.send_to(bytes_data=b"\x00")
    assert (await _until(member, "error"))["code"] == "bad_frame"
    await member.send_to(text_data="{not json")
    assert (await _until(member, "error"))["code"] == "bad_json"
    await member.disconnect()


async def test_seq_gap_is_answered_by_a_snapshot(application):
    hall = await hall_async()
    member, _, snapshot = await _joined(application, hall.members[0], hall.room.pk)
    # Changes the socket never heard of (broadcasts off): the client sees a gap.
    await sync_to_async(_silently_post)(hall)
    await member.send_json_to({"type": "snapshot_request", "seq": snapshot["seq"]})
    fresh = await _until(member, "snapshot")
    assert fresh["seq"] == snapshot["seq"] + 2
    assert [s["text"] for s in fresh["statements"]] == ["一", "二"]
    await member.disconnect()


def _silently_post(hall):
    from django.test import override_settings

    with override_settings(YISHI_BROADCAST="off"):
        for text in ("一", "二"):
            services.room_action(
                room_id=hall.room.pk,
                actor=hall.chair,
                name="statement",
                params={"text": text},
            )


async def test_signing_out_closes_the_socket(application):
    hall = await hall_async()
    member, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    await sync_to_async(member.client.logout)()
    while True:
        message = await member.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            break
    assert message["code"] == 4401


async def test_presence_and_quorum(application):
    hall = await hall_async()
    room_id = hall.room.pk
    chair, _, _ = await _joined(application, hall.chair, room_id)
    sockets = []
    for user in hall.members[:2]:
        socket, _, _ = await _joined(application, user, room_id)
        sockets.append(socket)
    presence = await _until(chair, "presence")
    while len(presence["online"]) < 3:
        presence = await _until(chair, "presence")
    # 3 of 5 members connected: more than half (committee-meeting rule).
    assert presence["quorum"] == {"expected": 5, "present": 3, "met": True}
    await sockets[0].disconnect()
    presence = await _until(chair, "presence")
    assert presence["quorum"] == {"expected": 5, "present": 2, "met": False}
    room = await sync_to_async(Room.objects.get)()
    assert presence["seq"] == room.seq
    await chair.disconnect()
    await sockets[1].disconnect()


async def test_what_arrives_while_the_snapshot_is_read_follows_it(
    application, monkeypatch
):
    """The protocol's order — hello, snapshot, then events — holds even when the
    room's messages reach the process while a connection's snapshot is read."""
    from consultation.rooms import lobby
    from consultation.rooms.events import room_group
    from yishi import livehub

    hall = await sync_to_async(build_hall)()
    real = lobby.snapshot_text
    early = {"type": "presence", "seq": 0, "online": [], "online_count": 9}

    async def slow_snapshot(room_id, **kwargs):
        # A presence broadcast reaches this process's hub meanwhile.
        subscriptions = livehub._subscriptions()[room_group(room_id)]
        await livehub._hand_out(
            room_group(room_id),
            subscriptions,
            {"type": "room.events", "texts": [json.dumps(early)], "seq": 0},
        )
        return await real(room_id, **kwargs)

    monkeypatch.setattr(lobby, "snapshot_text", slow_snapshot)
    socket, _hello, snapshot = await _joined(application, hall.members[0], hall.room.pk)
    assert snapshot["type"] == "snapshot"
    assert await socket.receive_json_from(timeout=5) == early
    await socket.disconnect()


async def test_a_connection_that_fails_while_connecting_leaves_nothing_behind(
    application, monkeypatch
):
    """The client gone (or Redis failing) while its snapshot is read: Channels
    calls no disconnect, so connect itself undoes what it joined — no ghost present
    for the quorum, no held room entry, no hub membership."""
    from consultation.rooms import lobby
    from consultation.rooms.events import room_group
    from consultation.rooms.selectors import presence_topic
    from yishi import livehub, livepresence

    hall = await sync_to_async(build_hall)()

    async def gone(room_id, **kwargs):
        raise ConnectionResetError("the client left")

    monkeypatch.setattr(lobby, "snapshot_text", gone)
    socket, _connected, _code = await _open(application, hall.members[0], hall.room.pk)
    assert (await socket.receive_json_from(timeout=5))["type"] == "hello"
    with pytest.raises(ConnectionResetError):
        await socket.receive_json_from(timeout=5)
    seat = await sync_to_async(hall.seat)(hall.members[0])
    assert seat.pk not in livepresence._local.get(presence_topic(hall.room.pk), {})
    assert hall.room.pk not in lobby._by_room()
    assert livehub.local_count(room_group(hall.room.pk)) == 0
