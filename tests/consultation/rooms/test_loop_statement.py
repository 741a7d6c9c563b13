"""A member's statement is written by the socket's event loop (yishi.asyncdb), as
the service writes it; every other case is left, with nothing written, to the
service in Django's database thread, which answers as it always has."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
import redis
from asgiref.sync import sync_to_async
from django.db import connection, connections

from consultation.rooms import events, permissions, services
from consultation.rooms.models import Room, RoomEvent, RoomParticipant, Statement
from consultation.rooms.services import RecordsError, statement_post_on_loop
from tests.consultation.rooms import test_room_consumer as sockets
from tests.consultation.rooms.helpers import build_hall
from tests.consultation.rooms.test_room_consumer import _act, _joined, _until
from tests.neighbourhoods.factories import PersonFactory, UserFactory
from yishi import asyncdb, fanout, livehub
from yishi.websocket_auth import TicketUser, known

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # the loop's connection is PostgreSQL's (psycopg)
]
# The socket tests' fixtures: the ASGI application, thread connections closed.
application = sockets.application
close_thread_connections = sockets.close_thread_connections

R = RoomParticipant.Role
hall_async = sync_to_async(build_hall)


def _written(room_id: int) -> tuple[int, int, int, int]:
    """(statements, events, seq, announced_seq) of the room."""
    room = Room.objects.get(pk=room_id)
    return (
        Statement.objects.filter(room_id=room_id).count(),
        RoomEvent.objects.filter(room_id=room_id).count(),
        room.seq,
        room.announced_seq,
    )


written = sync_to_async(_written)


def _kept(room_id: int, seq: int):
    return (
        Statement.objects.get(room_id=room_id, seq=seq),
        RoomEvent.objects.get(room_id=room_id, seq=seq).payload,
        Room.objects.get(pk=room_id),
    )


async def test_a_members_statement_is_written_by_the_loop_as_the_service_writes_it(
    application,
):
    hall = await hall_async()
    speaker, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    listener, _, _ = await _joined(application, hall.members[1], hall.room.pk)
    ack = await _act(speaker, "statement", text="  一楼住户的意见要先听  ")
    heard = await _until(listener, "statement")
    assert heard["seq"] == ack["seq"]
    # Written on this loop: its connection is open (and closed here).
    assert asyncdb.close_idle() == 1
    statement, payload, room = await sync_to_async(_kept)(hall.room.pk, ack["seq"])
    seat = await sync_to_async(hall.seat)(hall.members[0])
    assert statement.text == "一楼住户的意见要先听"
    assert (statement.participant_id, statement.item_id) == (
        seat.pk,
        room.current_item_id,
    )
    assert statement.created_at is not None
    assert room.seq == room.announced_seq == ack["seq"]
    assert payload == heard  # kept as announced
    assert heard["statement"]["id"] == statement.pk
    assert heard["statement"]["at"] == statement.created_at.isoformat()
    # The service in Django's thread makes the same event.
    by_thread = await sync_to_async(services.statement_post)(
        room_id=hall.room.pk, actor=hall.members[0], text="第二条"
    )
    assert by_thread["seq"] == ack["seq"] + 1
    assert _alike(by_thread) == _alike(heard)
    await speaker.disconnect()
    await listener.disconnect()


def _alike(event: dict) -> dict:
    """An event with what differs from one statement to the next taken out."""
    statement = dict(event["statement"], id=0, seq=0, text="", at="")
    return dict(event, seq=0, statement=statement)


async def test_a_muted_member_is_refused_by_the_service_and_nothing_is_written(
    application,
):
    hall = await hall_async()
    speaker, _, _ = await _joined(application, hall.members[0], hall.room.pk)
    seat = await sync_to_async(hall.seat)(hall.members[0])
    await sync_to_async(RoomParticipant.objects.filter(pk=seat.pk).update)(muted=True)
    before = await written(hall.room.pk)
    await _act(speaker, "statement", request_id=None, text="我还想说")
    error = await _until(speaker, "error")
    assert (error["code"], error["status"]) == ("forbidden", 403)
    assert "禁言" in error["detail"]
    assert await written(hall.room.pk) == before
    await speaker.disconnect()


def _seat(hall, role: str, *, by_person: bool = False):
    """A new seat of `role` and its login; by its resident record alone when
    `by_person` (a seat taken before the person had a login)."""
    user = UserFactory()
    person = PersonFactory(home_community=hall.community, user=user)
    RoomParticipant.objects.create(
        room=hall.room,
        person=person,
        user=None if by_person else user,
        name="新座位",
        role=role,
    )
    return user


@pytest.mark.parametrize(
    ("role", "by_person"),
    [(R.INVITED, False), (R.OBSERVER, False), (R.MEMBER, True)],
)
async def test_what_the_loop_leaves_it_leaves_unwritten(role, by_person):
    hall = await hall_async()
    user = await sync_to_async(_seat)(hall, role, by_person=by_person)
    before = await written(hall.room.pk)
    assert (
        await statement_post_on_loop(room_id=hall.room.pk, actor=user, text="说一句")
        is None
    )
    assert await written(hall.room.pk) == before
    # The service decides: a member found by resident record speaks; an invited
    # resident per the community's setting; an observer never.
    act = sync_to_async(services.room_action)
    params = {"text": "说一句"}
    if role == R.OBSERVER:
        with pytest.raises(RecordsError) as refused:
            await act(room_id=hall.room.pk, actor=user, name="statement", params=params)
        assert refused.value.status == 403
    elif role == R.MEMBER:
        event = await act(
            room_id=hall.room.pk, actor=user, name="statement", params=params
        )
        assert event["seq"] == before[2] + 1


async def test_a_closed_room_an_outsider_and_a_strange_id_are_left_to_the_service():
    hall = await hall_async()
    member = hall.members[0]
    outsider = await statement_post_on_loop(
        room_id=hall.room.pk, actor=hall.outsider, text="路过"
    )
    assert outsider is None
    for strange in (10**12, "1", 1.0, True, None, -1):
        assert (
            await statement_post_on_loop(room_id=strange, actor=member, text="好")
            is None
        )
    await sync_to_async(Room.objects.filter(pk=hall.room.pk).update)(
        status=Room.Status.CLOSED
    )
    before = await written(hall.room.pk)
    closed = await statement_post_on_loop(room_id=hall.room.pk, actor=member, text="好")
    assert closed is None
    assert await written(hall.room.pk) == before


@pytest.mark.parametrize("text", ["", "   ", None, 42, "字" * 2001, "坏\x00字"])
async def test_a_bad_text_is_refused_as_the_service_refuses_it(text):
    hall = await hall_async()
    before = await written(hall.room.pk)
    with pytest.raises(RecordsError) as on_loop:
        await statement_post_on_loop(
            room_id=hall.room.pk, actor=hall.members[0], text=text
        )
    with pytest.raises(RecordsError) as by_thread:
        await sync_to_async(services.statement_post)(
            room_id=hall.room.pk, actor=hall.members[0], text=text
        )
    assert (on_loop.value.status, on_loop.value.code, on_loop.value.message) == (
        by_thread.value.status,
        by_thread.value.code,
        by_thread.value.message,
    )
    assert await written(hall.room.pk) == before


async def test_a_busy_connection_leaves_the_statement_to_the_thread():
    hall = await hall_async()
    async with asyncdb.lane() as held:
        assert held is not None
        async with asyncdb.lane() as second:
            assert second is None
        assert (
            await statement_post_on_loop(
                room_id=hall.room.pk, actor=hall.members[0], text="同时"
            )
            is None
        )
    event = await statement_post_on_loop(
        room_id=hall.room.pk, actor=hall.members[0], text="之后"
    )
    assert event is not None


def _terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


async def test_a_broken_connection_writes_nothing_and_is_made_again():
    hall = await hall_async()
    member = hall.members[0]
    assert await statement_post_on_loop(room_id=hall.room.pk, actor=member, text="一")
    async with asyncdb.lane() as conn:
        pid = conn.info.backend_pid
    await sync_to_async(_terminate)(pid)
    before = await written(hall.room.pk)
    # The server closed it: nothing written, left to the thread...
    assert (
        await statement_post_on_loop(room_id=hall.room.pk, actor=member, text="二")
        is None
    )
    assert await written(hall.room.pk) == before
    # ...and the next statement is written on a new connection.
    event = await statement_post_on_loop(room_id=hall.room.pk, actor=member, text="三")
    assert event["seq"] == before[2] + 1
    async with asyncdb.lane() as conn:
        assert conn.info.backend_pid != pid


async def test_a_send_that_fails_gives_the_claim_back_to_the_fan_out(
    monkeypatch, settings
):
    settings.YISHI_BROADCAST = "coalesce"
    hall = await hall_async()
    scheduled, sent = [], []

    async def down(group, message):
        raise redis.ConnectionError("Redis is restarting")

    monkeypatch.setattr(livehub, "send", down)
    monkeypatch.setattr(
        fanout, "schedule", lambda topic, key, delay=0: scheduled.append((topic, key))
    )
    lost = await statement_post_on_loop(
        room_id=hall.room.pk, actor=hall.members[0], text="发不出去"
    )
    *_, seq, announced = await written(hall.room.pk)
    assert (seq, announced) == (lost["seq"], lost["seq"] - 1)
    assert scheduled == [(events.TOPIC, hall.room.pk)]
    # The next one carries it: read back and sent from the thread.
    monkeypatch.setattr(livehub, "send_sync", lambda g, m: sent.append(m))
    later = await statement_post_on_loop(
        room_id=hall.room.pk, actor=hall.members[0], text="下一条"
    )
    ((message),) = sent
    assert (message["first"], message["seq"]) == (lost["seq"], later["seq"])
    assert len(message["texts"]) == 2


def _roles_checked(hall) -> list:
    """(role, muted, outright, may enter and speak) for every kind of seat."""
    seen = []
    for role in R.values:
        for muted in (False, True):
            user = _seat(hall, role)
            seat = RoomParticipant.objects.get(room=hall.room, user=user)
            seat.muted = muted
            speaks = (
                permissions.can_enter(user, hall.room, seat)
                and permissions.can_speak(seat)
                and not muted
            )
            seen.append((role, muted, permissions.speaks_outright(role, muted), speaks))
    return seen


async def test_outright_speakers_are_those_the_service_always_lets_speak():
    hall = await hall_async()
    for role, muted, outright, speaks in await sync_to_async(_roles_checked)(hall):
        if outright:
            assert speaks, (role, muted)
        assert outright == (role in {R.CHAIR, R.SECRETARY, R.MEMBER} and not muted)


async def test_a_tickets_login_is_known_once_its_session_is_read():
    hall = await hall_async()
    ticket = TicketUser.__new__(TicketUser)
    ticket.real = None
    assert known(ticket) is None
    ticket.real = hall.members[0]
    assert known(ticket) is hall.members[0]
    assert known(hall.members[0]) is hall.members[0]


async def test_a_commit_whose_answer_is_lost_is_raised_never_written_twice(
    monkeypatch,
):
    hall = await hall_async()
    before = await written(hall.room.pk)
    committed = psycopg.AsyncTransaction.__aexit__

    async def answer_lost(self, exc_type, exc_value, traceback):
        await committed(self, exc_type, exc_value, traceback)
        if exc_type is None:
            raise psycopg.OperationalError("the server's answer was lost")

    monkeypatch.setattr(psycopg.AsyncTransaction, "__aexit__", answer_lost)
    with pytest.raises(psycopg.OperationalError):
        await statement_post_on_loop(
            room_id=hall.room.pk, actor=hall.members[0], text="只记一次"
        )
    statements, kept_events, seq, _announced = await written(hall.room.pk)
    assert (statements, kept_events, seq) == (
        before[0] + 1,
        before[1] + 1,
        before[2] + 1,
    )


async def test_a_statement_cancelled_while_announced_is_announced_all_the_same(
    monkeypatch, settings
):
    settings.YISHI_BROADCAST = "coalesce"
    hall = await hall_async()
    started, sent = asyncio.Event(), []

    async def slow(group, message):
        started.set()
        await asyncio.sleep(0.2)
        sent.append(message)

    monkeypatch.setattr(livehub, "send", slow)
    task = asyncio.ensure_future(
        statement_post_on_loop(room_id=hall.room.pk, actor=hall.members[0], text="走前")
    )
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.4)
    ((message,),) = [sent]
    *_, seq, announced = await written(hall.room.pk)
    assert message["seq"] == seq == announced


def _said_apart(**kwargs) -> dict:
    """`statement_post` in a thread of its own, its connection closed after."""
    try:
        return services.statement_post(**kwargs)
    finally:
        connections.close_all()


async def test_statements_on_the_loop_and_in_the_thread_at_once_keep_seq_whole():
    hall = await hall_async()
    before = await written(hall.room.pk)
    say = sync_to_async(_said_apart, thread_sensitive=False)

    async def by_thread(i):
        return await say(room_id=hall.room.pk, actor=hall.members[1], text=f"线程{i}")

    async def on_loop(i):
        event = await statement_post_on_loop(
            room_id=hall.room.pk, actor=hall.members[0], text=f"循环{i}"
        )
        if event is None:  # the loop's connection busy: the thread, as the consumer
            event = await by_thread(i)
        return event

    results = await asyncio.gather(
        *(call(i) for i in range(6) for call in (on_loop, by_thread))
    )
    seqs = sorted(event["seq"] for event in results)
    assert seqs == list(range(before[2] + 1, before[2] + 13))
    statements, kept_events, seq, announced = await written(hall.room.pk)
    assert (statements, kept_events) == (before[0] + 12, before[1] + 12)
    assert seq == announced == before[2] + 12


async def test_the_loops_connection_is_djangos_own_or_none(monkeypatch):
    options = connection.settings_dict["OPTIONS"]
    monkeypatch.setitem(options, "pool", {"min_size": 2, "max_size": 8})
    params = asyncdb._parameters()
    assert params["dbname"] == connection.settings_dict["NAME"]
    assert "pool" not in params
    assert "cursor_factory" not in params
    assert params["connect_timeout"] == asyncdb.CONNECT_TIMEOUT
    assert asyncdb.available()
    for name, value in (("assume_role", "yishi_app"), ("isolation_level", 3)):
        monkeypatch.setitem(options, name, value)
        assert not asyncdb.available()  # left to Django's own connections
        monkeypatch.delitem(options, name)


async def test_a_send_that_breaks_otherwise_still_acknowledges_the_kept_statement(
    monkeypatch, settings, caplog
):
    settings.YISHI_BROADCAST = "coalesce"
    hall = await hall_async()
    scheduled = []

    async def broken(group, message):
        raise RuntimeError("a defect in sending")

    monkeypatch.setattr(livehub, "send", broken)
    monkeypatch.setattr(
        fanout, "schedule", lambda topic, key, delay=0: scheduled.append((topic, key))
    )
    kept = await statement_post_on_loop(
        room_id=hall.room.pk, actor=hall.members[0], text="照样记下"
    )
    assert kept is not None  # acknowledged: its sender must not post it again
    *_, seq, announced = await written(hall.room.pk)
    assert (seq, announced) == (kept["seq"], kept["seq"] - 1)
    assert scheduled == [(events.TOPIC, hall.room.pk)]
    assert "events not sent" in caplog.text
