"""A room's events are claimed in the transaction that keeps them and sent after its
commit, from the committing thread; a send that fails gives its claim back to the
fan-out, and the next send carries what was left."""

import pytest
import redis

from consultation.rooms import events, services
from consultation.rooms.models import Room
from tests.consultation.rooms.helpers import build_hall
from yishi import fanout, livehub

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch, settings):
    settings.YISHI_BROADCAST = "coalesce"
    record = []
    monkeypatch.setattr(
        livehub, "send_sync", lambda group, message: record.append((group, message))
    )
    return record


@pytest.fixture
def scheduled(monkeypatch):
    record = []
    monkeypatch.setattr(
        fanout, "schedule", lambda topic, key, delay=0: record.append((topic, key))
    )
    return record


def _say(hall, text, capture):
    with capture(execute=True):
        return services.room_action(
            room_id=hall.room.pk,
            actor=hall.members[0],
            name="statement",
            params={"text": text},
        )


def _announced(hall) -> int:
    return Room.objects.values_list("announced_seq", flat=True).get(pk=hall.room.pk)


def test_an_event_is_sent_once_after_commit_with_its_range(
    sent, scheduled, django_capture_on_commit_callbacks
):
    hall = build_hall()
    event = _say(hall, "第一条", django_capture_on_commit_callbacks)
    assert len(sent) == 1
    assert scheduled == []
    group, message = sent[0]
    assert group == events.room_group(hall.room.pk)
    assert message["first"] == message["seq"] == event["seq"]
    assert '"第一条"' in message["texts"][0]
    assert _announced(hall) == event["seq"]


def test_a_failed_send_gives_the_claim_back_and_the_next_carries_it(
    sent, scheduled, monkeypatch, django_capture_on_commit_callbacks
):
    hall = build_hall()
    working = livehub.send_sync

    def down(group, message):
        raise redis.ConnectionError("Redis is restarting")

    monkeypatch.setattr(livehub, "send_sync", down)
    lost = _say(hall, "发不出去的一条", django_capture_on_commit_callbacks)
    # Kept, not claimed: the fan-out was asked to send it.
    assert _announced(hall) == lost["seq"] - 1
    assert scheduled == [(events.TOPIC, hall.room.pk)]
    monkeypatch.setattr(livehub, "send_sync", working)
    later = _say(hall, "下一条", django_capture_on_commit_callbacks)
    ((_group, message),) = sent
    assert (message["first"], message["seq"]) == (lost["seq"], later["seq"])
    assert [text.count("发不出去") for text in message["texts"]] == [1, 0]
    assert _announced(hall) == later["seq"]


def test_the_fan_out_sends_what_is_unclaimed_under_the_lock(
    sent, scheduled, monkeypatch, django_capture_on_commit_callbacks
):
    hall = build_hall()
    monkeypatch.setattr(
        livehub, "send_sync", lambda *a: (_ for _ in ()).throw(OSError("refused"))
    )
    lost = _say(hall, "等待补发", django_capture_on_commit_callbacks)
    monkeypatch.undo()
    monkeypatch.setattr(
        livehub, "send_sync", lambda group, message: sent.append((group, message))
    )
    assert events.room_broadcast(str(hall.room.pk)) is None  # it sent itself
    ((_group, message),) = sent
    assert message["first"] == message["seq"] == lost["seq"]
    assert _announced(hall) == lost["seq"]
    events.room_broadcast(str(hall.room.pk))  # nothing left: nothing sent
    assert len(sent) == 1


def test_the_sweep_finds_only_rooms_with_events_not_handed_over(
    sent, scheduled, monkeypatch, django_capture_on_commit_callbacks
):
    """`unannounced_rooms` (the fan-out's sweep): a room whose send failed and
    whose retry could not be scheduled is found; one whose events went out is not;
    once its events are sent it is not found again."""
    sent_room, lost_room = build_hall(), build_hall()
    _say(sent_room, "已发出", django_capture_on_commit_callbacks)

    def down(*args, **kwargs):
        raise redis.ConnectionError("Redis refuses writes")

    monkeypatch.setattr(livehub, "send_sync", down)
    monkeypatch.setattr(fanout, "schedule", down)
    _say(lost_room, "没发出也没排上", django_capture_on_commit_callbacks)
    assert events.unannounced_rooms() == [lost_room.room.pk]
    monkeypatch.setattr(livehub, "send_sync", lambda *a: sent.append(a))
    events.room_broadcast(str(lost_room.room.pk))
    assert events.unannounced_rooms() == []
