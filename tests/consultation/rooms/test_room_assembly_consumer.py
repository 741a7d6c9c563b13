"""The socket of a residents' meeting seated from its roll: who may connect (a voter
of the roll, an invited resident; a named observer and a resident of the community
who is not on the roll, as observers, while the community admits observers; never
an outsider), what each may do, and presence weighing the quorum by households."""

import pytest
from asgiref.sync import sync_to_async

from consultation.ballots.services import voting_settings_update
from consultation.rooms.models import RoomParticipant
from neighbourhoods.models import Person
from tests.consultation.rooms import test_room_consumer as base
from tests.consultation.rooms.assembly_helpers import assembly_room, build_register
from tests.neighbourhoods.factories import UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
# The room socket tests' fixtures and helpers.
application = base.application
close_thread_connections = base.close_thread_connections
_act, _joined, _open, _until = base._act, base._joined, base._open, base._until


def _meeting():
    reg = build_register(5, logins=5)
    guest = Person.objects.create(
        full_name="列席居民", home_community=reg.community, user=UserFactory()
    )
    off_roll = Person.objects.create(
        full_name="未登记户", home_community=reg.community, user=UserFactory()
    )
    watcher = UserFactory()
    room = assembly_room(
        reg,
        "residents_meeting",
        "household_representatives",
        invited_ids=(guest.pk,),
        observer_user_ids=(watcher.pk,),
    )
    return reg, room, guest.user, off_roll.user, watcher


def _settings(reg, **changes):
    voting_settings_update(community=reg.community, actor=None, **changes)


async def test_connect_and_deny_matrix_of_the_new_roles(application):
    reg, room, guest, off_roll, watcher = await sync_to_async(_meeting)()
    for user, code in ((reg.outsider, 4403), (None, 4401)):
        _, connected, got = await _open(application, user, room.pk)
        assert (connected, got) == (False, code)
    expected = (
        (reg.users[3], "member", True),
        (guest, "invited", True),
        (watcher, "observer", False),
        (off_roll, "observer", False),
        (reg.staff, "observer", False),
    )
    for user, role, speaks in expected:
        socket, hello, snapshot = await _joined(application, user, room.pk)
        assert (hello["role"], hello["may"]["speak"]) == (role, speaks)
        assert snapshot["quorum"]["counting"] == "households"
        assert snapshot["participants_partial"] is True
        await socket.disconnect()


async def test_settings_close_the_door_to_observers_and_silence_invited(application):
    reg, room, guest, off_roll, watcher = await sync_to_async(_meeting)()
    await sync_to_async(_settings)(
        reg, room_observers_admitted=False, room_invited_may_speak=False
    )
    for user in (watcher, off_roll):
        _, connected, got = await _open(application, user, room.pk)
        assert (connected, got) == (False, 4403)
    staff, hello, _ = await _joined(application, reg.staff, room.pk)
    assert hello["role"] == "observer"  # staff still enter
    socket, hello, _ = await _joined(application, guest, room.pk)
    assert (hello["role"], hello["may"]["speak"]) == ("invited", False)
    await _act(socket, "hand_raise", request_id=None)
    error = await _until(socket, "error")
    assert error["status"] == 403
    await socket.disconnect()
    await staff.disconnect()


async def test_presence_counts_households_of_the_roll(application):
    reg, room, *_ = await sync_to_async(_meeting)()
    sockets = []
    for user in reg.users[2:5]:
        socket, _, _ = await _joined(application, user, room.pk)
        sockets.append(socket)
    seen = None
    while seen is None or seen["quorum"]["present"] < 3:
        seen = await _until(sockets[0], "presence")
    assert seen["quorum"] == {
        "expected": 5,
        "present": 3,
        "met": True,
        "counting": "households",
    }
    joined = await sync_to_async(
        RoomParticipant.objects.filter(room=room, joined_at__isnull=False).count
    )()
    assert joined == 3
    for socket in sockets:
        await socket.disconnect()
