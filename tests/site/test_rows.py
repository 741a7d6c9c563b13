"""yishi.rows: one row read, written or changed by SQL made once from the model's
metadata — the same row and values the ORM would read and write."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import signals
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from wagtail.models import TranslatableMixin

from consultation.rooms.models import Room, RoomEvent, RoomParticipant, Statement
from neighbourhoods import register_cache
from tests.consultation.rooms.helpers import build_hall
from yishi import rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return build_hall(members=3)


def test_select_row_is_the_orms_row(hall):
    user = hall.members[0]
    seat = rows.select_row(RoomParticipant, room_id=hall.room.pk, user_id=user.pk)
    expected = RoomParticipant.objects.get(room=hall.room, user=user)
    assert seat == expected
    fields = [f.attname for f in RoomParticipant._meta.concrete_fields]
    assert [getattr(seat, f) for f in fields] == [getattr(expected, f) for f in fields]
    room = rows.select_row(Room, pk=hall.room.pk)
    assert room.opened_at == Room.objects.get(pk=hall.room.pk).opened_at


def test_select_row_none_when_absent(hall):
    assert rows.select_row(RoomParticipant, room_id=hall.room.pk, user_id=-1) is None
    assert rows.select_row(Room, pk=10**9) is None


@pytest.mark.django_db(transaction=True)
def test_a_lock_needs_a_transaction():
    room_id = build_hall(members=2).room.pk
    with pytest.raises(TransactionManagementError):
        rows.select_row(Room, lock=True, pk=room_id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers itself"
)
def test_a_locked_row_is_locked_for_the_transaction():
    room_id = build_hall(members=2).room.pk
    outcome = []

    def other():
        try:
            with transaction.atomic():
                Room.objects.select_for_update(nowait=True).get(pk=room_id)
            outcome.append("got it")
        except DatabaseError:
            outcome.append("locked")
        finally:
            connection.close()

    with transaction.atomic():
        assert rows.select_row(Room, lock=True, pk=room_id).pk == room_id
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert outcome == ["locked"]
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["locked", "got it"]


def test_insert_row_writes_what_the_orm_reads(hall):
    seat = hall.seat(hall.members[0])
    before = timezone.now()
    statement = Statement(
        room_id=hall.room.pk,
        participant_id=seat.pk,
        text='我赞成\'; DROP TABLE x; -- "引号"',
        seq=77,
    )
    pk = rows.insert_row(statement)
    assert statement.pk == pk
    stored = Statement.objects.get(pk=pk)
    assert stored.text == statement.text
    assert (stored.room_id, stored.item_id, stored.participant_id, stored.seq) == (
        hall.room.pk,
        None,
        seat.pk,
        77,
    )
    # auto_now_add applied, as save() would, and kept on the instance
    assert before <= statement.created_at == stored.created_at
    assert stored.created_at.isoformat() == statement.created_at.isoformat()


def test_insert_row_json_payload_round_trips(hall):
    text = "换行\n和 \\ 与 ' \""
    payload = {"type": "statement", "seq": 9, "text": text, "n": [1, None]}
    rows.insert_row(RoomEvent(room_id=hall.room.pk, seq=10**6, payload=payload))
    assert RoomEvent.objects.get(room=hall.room, seq=10**6).payload == payload
    read = rows.select_row(RoomEvent, room_id=hall.room.pk, seq=10**6)
    assert read.payload == payload  # the JSONField's converter applied
    assert read.created_at == RoomEvent.objects.get(pk=read.pk).created_at


def test_insert_row_fills_defaults_as_save_does(hall):
    """A field the caller leaves out gets its default, not a database error."""
    seat = RoomParticipant(
        room_id=hall.room.pk, user_id=hall.outsider.pk, name="列席代表", role="observer"
    )
    rows.insert_row(seat)
    stored = RoomParticipant.objects.get(pk=seat.pk)
    assert (stored.muted, stored.in_hall, stored.heads, stored.roll_key) == (
        False,
        False,
        1,
        "",
    )


def test_update_row_changes_the_row_only(hall):
    other = build_hall(members=2).room
    before = Room.objects.get(pk=other.pk).seq
    assert rows.update_row(Room, hall.room.pk, seq=41, announced_seq=40) == 1
    room = Room.objects.get(pk=hall.room.pk)
    assert (room.seq, room.announced_seq) == (41, 40)
    assert Room.objects.get(pk=other.pk).seq == before
    assert rows.update_row(Room, 10**9, seq=1) == 0


def test_the_rooms_models_have_no_save_receivers_that_act():
    """rows sends no signals: only the project's generic receivers listen to these
    models, and they do nothing for them. A new receiver fails here, to be
    reviewed before it is silently skipped."""
    generic = {
        "set_locale_on_new_instance",  # wagtail: TranslatableMixin models only
        "_on_change",  # neighbourhoods.register_cache: register models only
    }
    for model in (Room, RoomEvent, RoomParticipant, Statement):
        assert not issubclass(model, TranslatableMixin)
        assert not register_cache._is_register_model(model)
        for signal in (signals.pre_save, signals.post_save):
            live = signal._live_receivers(model)
            receivers = [r for group in live for r in group] if live else []
            assert {r.__name__ for r in receivers} <= generic, model
