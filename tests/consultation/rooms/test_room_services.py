"""Room services: seq in the same transaction, refusals, each action's effect."""

import pytest

from consultation.records.services.errors import RecordsError
from consultation.rooms import services
from consultation.rooms.models import (
    AgendaItem,
    Room,
    RoomEvent,
    SpeakerRequest,
    Statement,
)
from tests.consultation.rooms.helpers import build_hall

pytestmark = pytest.mark.django_db


def act(hall, user, name, **params):
    return services.room_action(
        room_id=hall.room.pk, actor=user, name=name, params=params
    )


def test_setup_seats_members_chair_and_secretary():
    hall = build_hall()
    assert hall.seat(hall.chair).role == "chair"
    assert hall.seat(hall.secretary).role == "secretary"
    assert hall.room.meeting.expected_count == 5
    assert hall.room.rule_family == "committee-meeting"
    assert hall.room.seq == 3  # three agenda items, one event each
    assert list(
        RoomEvent.objects.filter(room=hall.room).values_list("seq", flat=True)
    ) == [1, 2, 3]


def test_setup_refused_for_outsider():
    hall = build_hall()
    with pytest.raises(RecordsError) as refused:
        services.agenda_item_add(room_id=hall.room.pk, actor=hall.outsider, title="x")
    assert refused.value.status == 403


def test_queue_floor_and_statement():
    hall = build_hall()
    member = hall.members[0]
    event = act(hall, member, "hand_raise")
    assert event["type"] == "queue"
    assert event["queue"] == [hall.seat(member).pk]
    with pytest.raises(RecordsError) as twice:
        act(hall, member, "hand_raise")
    assert twice.value.status == 409
    with pytest.raises(RecordsError) as not_chair:
        act(hall, member, "floor_next")
    assert not_chair.value.status == 403
    event = act(hall, hall.chair, "floor_next")
    assert event["floor"]["speaker"] == hall.seat(member).pk
    assert event["queue"] == []
    event = act(hall, member, "statement", text="  同意加装电梯。 ")
    assert event["statement"]["text"] == "同意加装电梯。"
    statement = Statement.objects.get()
    assert statement.seq == event["seq"] == Room.objects.get().seq
    event = act(hall, hall.members[1], "react", statement_id=statement.pk, kind="agree")
    assert event["reactions"] == {"agree": 1, "disagree": 0, "question": 0}
    event = act(
        hall, hall.members[1], "react", statement_id=statement.pk, kind="question"
    )
    assert event["reactions"] == {"agree": 0, "disagree": 0, "question": 1}


def test_withdraw():
    hall = build_hall()
    member = hall.members[0]
    with pytest.raises(RecordsError):
        act(hall, member, "hand_withdraw")
    act(hall, member, "hand_raise")
    event = act(hall, member, "hand_withdraw")
    assert event["queue"] == []
    assert SpeakerRequest.objects.get().status == "withdrawn"


def test_statement_limits():
    hall = build_hall()
    act(hall, hall.members[0], "statement", text="议" * 2000)
    before = Room.objects.get().seq
    for text in ("议" * 2001, "   ", 5):
        with pytest.raises(RecordsError) as refused:
            act(hall, hall.members[0], "statement", text=text)
        assert refused.value.status == 422
    assert Room.objects.get().seq == before


def test_mute_stops_posting_and_hand():
    hall = build_hall()
    member = hall.members[0]
    act(hall, member, "hand_raise")
    target = hall.seat(member).pk
    event = act(hall, hall.chair, "mute", participant_id=target, muted=True)
    assert event["queue"] == []
    assert event["muted"] is True
    for name, params in (("statement", {"text": "我要说"}), ("hand_raise", {})):
        with pytest.raises(RecordsError) as refused:
            act(hall, member, name, **params)
        assert refused.value.status == 403
    act(hall, hall.chair, "mute", participant_id=target, muted=False)
    act(hall, member, "statement", text="我要说")


def test_items_timer_and_close():
    hall = build_hall()
    first, second, _ = AgendaItem.objects.filter(room=hall.room)
    act(hall, hall.chair, "item_open", item_id=first.pk)
    event = act(hall, hall.staff, "item_open", item_id=second.pk)
    assert event["current_item"] == second.pk
    statuses = {i["id"]: i["status"] for i in event["agenda"]}
    assert statuses[first.pk] == "done"
    assert statuses[second.pk] == "current"
    for seconds in (5, 7200, "60", True):
        with pytest.raises(RecordsError):
            act(hall, hall.chair, "timer_set", seconds=seconds)
    assert act(hall, hall.chair, "timer_set", seconds=120)["floor"]["seconds"] == 120
    with pytest.raises(RecordsError) as no_ballot:
        act(hall, hall.chair, "ballot_open", item_id=first.pk)
    assert no_ballot.value.status == 422
    act(hall, hall.chair, "close")
    with pytest.raises(RecordsError) as closed:
        act(hall, hall.members[0], "hand_raise")
    assert closed.value.status == 409


def test_presence_mark_by_secretary_only():
    hall = build_hall()
    target = hall.seat(hall.members[0]).pk
    with pytest.raises(RecordsError):
        act(hall, hall.members[1], "presence_mark", participant_id=target, in_hall=True)
    event = act(
        hall, hall.secretary, "presence_mark", participant_id=target, in_hall=True
    )
    assert event == {
        "type": "hall",
        "seq": event["seq"],
        "participant": target,
        "in_hall": True,
    }


def test_unknown_and_missing():
    hall = build_hall()
    with pytest.raises(RecordsError) as unknown:
        act(hall, hall.chair, "explode")
    assert unknown.value.code == "unknown_action"
    with pytest.raises(RecordsError):
        act(hall, hall.chair, "statement")
    with pytest.raises(RecordsError) as outsider:
        act(hall, hall.outsider, "hand_raise")
    assert outsider.value.status == 403


def test_the_chair_opens_and_closes_the_agendas_ballot():
    """The chair runs the vote of an item staff put on the agenda with its ballot,
    though not staff; members may not; the ballot's audit names the chair."""
    from consultation.ballots.models import Ballot
    from consultation.rooms.models import AgendaItem as Item
    from tests.consultation.rooms.helpers import compound_council_room
    from yishi.models import AuditEntry

    room, people, staff, ballot = compound_council_room()
    item = services.agenda_item_add(
        room_id=room.pk, actor=staff, title="加装电梯", ballot_id=ballot.pk
    )
    item_id = item.pk if isinstance(item, Item) else Item.objects.get(room=room).pk
    chair, member = people[0].user, people[1].user
    for name in ("ballot_open", "ballot_close"):
        with pytest.raises(RecordsError) as refused:
            services.room_action(
                room_id=room.pk, actor=member, name=name, params={"item_id": item_id}
            )
        assert refused.value.status == 403
    event = services.room_action(
        room_id=room.pk, actor=chair, name="ballot_open", params={"item_id": item_id}
    )
    assert (event["type"], event["status"]) == ("ballot", "open")
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN
    opened = AuditEntry.objects.get(action="ballot_open", target_id=str(ballot.pk))
    assert opened.actor_id == chair.pk
    with pytest.raises(RecordsError) as twice:  # the ballot's own rules still hold
        services.room_action(
            room_id=room.pk,
            actor=chair,
            name="ballot_open",
            params={"item_id": item_id},
        )
    assert twice.value.status == 409
    event = services.room_action(
        room_id=room.pk, actor=chair, name="ballot_close", params={"item_id": item_id}
    )
    assert event["status"] == "closed"
