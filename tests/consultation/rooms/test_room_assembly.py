"""A residents' meeting and an owners' assembly seated from the roll snapshot of
their basis: who is seated, frozen totals, queries in bulk, the quorum by the
rule's counting, the settings for observers and invited residents, the minutes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultation.ballots.services import BallotError, voting_settings_update
from consultation.records.models import Meeting
from consultation.records.services.errors import RecordsError
from consultation.rooms import permissions, selectors, services
from consultation.rooms.events import presence_payload
from consultation.rooms.models import RoomParticipant
from neighbourhoods.models import Household, Person, Residency
from tests.consultation.rooms.assembly_helpers import (
    assembly_room,
    build_register,
    seat,
)
from tests.neighbourhoods.factories import UserFactory

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "household_representatives"


def test_residents_meeting_seats_the_household_representatives():
    reg = build_register(6)
    room = assembly_room(reg, "residents_meeting", HOUSEHOLDS)
    assert room.basis == HOUSEHOLDS
    assert (room.scope_kind, room.scope_id) == ("community", reg.community.pk)
    assert (room.roll_heads, room.roll_area) == (6, 0)
    assert room.rule_family == "residents-meeting"
    assert room.meeting.kind == "residents_meeting"
    assert room.meeting.expected_count == 6
    seats = RoomParticipant.objects.filter(room=room)
    assert seats.filter(eligible=True).count() == 6
    assert seat(room, reg.users[0]).role == "chair"
    assert seat(room, reg.users[1]).role == "secretary"
    assert seat(room, reg.users[2]).role == "member"
    assert {s.roll_key for s in seats} == {
        f"hh:{h.pk}" for h in Household.objects.all()
    }


def test_owners_assembly_seats_owners_with_their_area():
    reg = build_register(5)
    room = assembly_room(reg, "owners_assembly", "owners")
    assert room.rule_family == "owners-ordinary"
    assert room.meeting.kind == "owners_assembly"
    assert room.roll_heads == 5
    assert room.roll_area == sum(reg.area(i) for i in range(5))
    mine = seat(room, reg.users[3])
    assert (mine.heads, mine.area) == (1, reg.area(3))


def test_the_roll_is_frozen_when_the_room_is_created():
    reg = build_register(4)
    room = assembly_room(reg, "residents_meeting", HOUSEHOLDS)
    newcomer = Person.objects.create(
        full_name="新住户", home_community=reg.community, user=UserFactory()
    )
    household = Household.objects.create(community=reg.community, number="H-new")
    Residency.objects.create(
        person=newcomer, household=household, kind="registered", is_representative=True
    )
    Residency.objects.filter(person=reg.people[3]).delete()
    room.refresh_from_db()
    assert room.roll_heads == 4
    assert RoomParticipant.objects.filter(room=room, eligible=True).count() == 4
    assert permissions.participant_of(newcomer.user, room) is None  # watches only
    assert seat(room, reg.users[3]).eligible


def test_a_household_without_a_representative_is_seated_without_a_login():
    reg = build_register(3)
    Residency.objects.filter(person=reg.people[2]).update(is_representative=False)
    room = assembly_room(reg, "residents_meeting", HOUSEHOLDS)
    loose = RoomParticipant.objects.get(room=room, person=None)
    assert loose.eligible
    assert loose.user_id is None
    assert loose.roll_key.startswith("hh:")
    assert "户" in loose.name
    assert room.roll_heads == 3


def test_seating_two_thousand_takes_few_queries(django_assert_max_num_queries):
    reg = build_register(2000, logins=2)
    # Not one per person: the roll in a few queries, names read in batches, seats
    # inserted in bulk (SQLite's 999-parameter limit splits the insert into about
    # 25 statements for 2,000 seats; PostgreSQL needs a handful in all).
    with django_assert_max_num_queries(45):
        room = assembly_room(reg, "owners_assembly", "owners")
    assert RoomParticipant.objects.filter(room=room).count() == 2000
    online = set(
        RoomParticipant.objects.filter(room=room).values_list("pk", flat=True)[:1500]
    )
    with CaptureQueriesContext(connection) as quorum_queries:
        found = selectors.quorum_of(room, online)
    assert len(quorum_queries) <= 8
    assert found.present == 1500  # 1500 ≥ 2/3 of 2000 by both
    assert found.met
    with django_assert_max_num_queries(20):
        state = selectors.snapshot(room, online)
    assert state["participants_partial"] is True
    assert len(state["participants"]) == 2  # the chair and the secretary


def _refused(reg, roll, actor=None, **extra) -> RecordsError:
    """The error `room_create` answers for a residents' meeting on `roll`."""
    extra.setdefault("chair_ids", (reg.people[0].pk,))
    with pytest.raises(RecordsError) as refused:
        services.room_create(
            community=reg.community,
            actor=actor or reg.staff,
            title="居民会议",
            place="广场",
            kind="residents_meeting",
            roll=roll,
            **extra,
        )
    return refused.value


@pytest.mark.parametrize(
    "roll",
    [
        {"basis": HOUSEHOLDS, "scope_kind": "compound", "scope_id": 999999},
        {"basis": HOUSEHOLDS, "scope_kind": "compound", "scope_id": "abc"},
        {"basis": ["owners"], "scope_kind": "community"},
        {"basis": "owners", "scope_kind": "community"},
        {"basis": HOUSEHOLDS, "scope_kind": "building", "scope_id": 1},
        {},
    ],
)
def test_odd_roll_input_is_a_422(roll):
    reg = build_register(2)
    assert _refused(reg, roll, secretary_id="x").status == 422


def test_wrong_basis_chair_or_actor_is_refused():
    reg = build_register(3)
    with pytest.raises(RecordsError) as wrong:
        assembly_room(reg, "owners_assembly", HOUSEHOLDS)
    assert wrong.value.code == "wrong_basis"
    community = {"basis": HOUSEHOLDS, "scope_kind": "community"}
    assert _refused(reg, community, chair_ids=(999999,)).status == 422
    assert _refused(reg, community, actor=reg.outsider).status == 403


def test_quorum_of_households_is_more_than_half_present():
    reg = build_register(4)
    room = assembly_room(reg, "residents_meeting", HOUSEHOLDS)
    ids = list(RoomParticipant.objects.filter(room=room).values_list("pk", flat=True))
    half = selectors.quorum_of(room, set(ids[:2]))
    assert (half.present, half.met, half.counting) == (2, False, "households")
    services.presence_mark(
        room_id=room.pk, actor=reg.staff, participant_id=ids[2], in_hall=True
    )
    more = selectors.quorum_of(room, set(ids[:2]))
    assert (more.present, more.met) == (3, True)
    assert more.as_dict()["counting"] == "households"


def test_owners_quorum_needs_two_thirds_by_count_and_area():
    reg = build_register(3)
    room = assembly_room(reg, "owners_assembly", "owners")
    by_area = dict(RoomParticipant.objects.filter(room=room).values_list("area", "pk"))
    # The two smallest flats: 2 of 3 owners, but less than 2/3 of the area.
    small = {by_area[reg.area(0)], by_area[reg.area(1)]}
    found = selectors.quorum_of(room, small)
    assert found.present == 2
    assert not found.met
    big = {by_area[reg.area(1)], by_area[reg.area(2)]}
    assert selectors.quorum_of(room, big).met
    shown = selectors.quorum_of(room, big).as_dict()
    assert shown["expected_area"] == "270.03"
    assert shown["present_area"] == "180.03"


def test_settings_for_observers_and_invited_residents():
    reg = build_register(4)
    guest = Person.objects.create(
        full_name="列席居民", home_community=reg.community, user=UserFactory()
    )
    watcher = UserFactory()
    room = assembly_room(
        reg,
        "residents_meeting",
        HOUSEHOLDS,
        invited_ids=(guest.pk,),
        observer_user_ids=(watcher.pk,),
    )
    invited, observer = seat(room, guest.user), seat(room, watcher)
    assert invited.role == "invited"
    assert not invited.eligible
    assert permissions.can_speak(invited)
    assert permissions.can_enter(watcher, room, observer)
    voting_settings_update(
        community=reg.community,
        actor=None,
        room_observers_admitted=False,
        room_invited_may_speak=False,
    )
    assert not permissions.can_speak(invited)
    assert not permissions.can_enter(watcher, room, observer)
    assert permissions.can_enter(reg.staff, room, None)  # staff are not observers
    with pytest.raises(RecordsError) as silent:
        services.room_action(
            room_id=room.pk, actor=guest.user, name="hand_raise", params={}
        )
    assert silent.value.status == 403
    with pytest.raises(BallotError):
        voting_settings_update(
            community=reg.community, actor=None, room_invited_may_speak="no"
        )


def test_residents_off_the_roll_watch_an_assembly_while_observers_are_admitted():
    reg = build_register(3)
    room = assembly_room(reg, "residents_meeting", HOUSEHOLDS)
    tenant = Person.objects.create(
        full_name="租户", home_community=reg.community, user=UserFactory()
    )
    assert permissions.can_enter(tenant.user, room, None)
    assert not permissions.can_speak(None)
    assert not permissions.can_enter(reg.outsider, room, None)
    voting_settings_update(
        community=reg.community, actor=None, room_observers_admitted=False
    )
    assert not permissions.can_enter(tenant.user, room, None)


def test_minutes_count_attendance_and_name_the_speakers():
    reg = build_register(5)
    room = assembly_room(reg, "owners_assembly", "owners")
    item = services.agenda_item_add(room_id=room.pk, actor=reg.staff, title="续聘物业")
    services.item_open(room_id=room.pk, actor=reg.staff, item_id=item.pk)
    services.room_action(
        room_id=room.pk, actor=reg.users[2], name="statement", params={"text": "同意"}
    )
    for user in reg.users[:4]:
        services.presence_mark(
            room_id=room.pk,
            actor=reg.staff,
            participant_id=seat(room, user).pk,
            in_hall=True,
        )
    services.room_close(room_id=room.pk, actor=reg.staff)
    text = services.minutes_draft(room_id=room.pk, actor=reg.staff).minutes_text
    assert "应到业主 5 人，实到 4 人（现场签到 4 席，网上出席 0 席）" in text
    assert "专有部分总面积 450.10 平方米" in text
    assert "已达到到会要求" in text
    assert "发言人：居民2" in text
    assert "居民4" not in text  # absent: counted, not named
    services.minutes_confirm(room_id=room.pk, actor=reg.staff)
    meeting = Meeting.objects.get(pk=room.pk)
    assert (meeting.expected_count, meeting.present_count) == (5, 4)


def test_the_settings_admin_form_offers_the_room_settings():
    from consultation.ballots.admin import VotingSettingsForm

    fields = VotingSettingsForm().fields
    assert fields["room_observers_admitted"].label == "会议室允许旁听"
    assert fields["room_invited_may_speak"].label == "列席居民可以发言"


def test_an_assemblys_presence_names_only_the_seats_in_play():
    """Thousands of plain members online are counted, not listed twice a second."""
    reg = build_register(8)
    room = assembly_room(reg, "residents_meeting", HOUSEHOLDS)
    shown = {p.pk for p in selectors.shown_participants(room)}
    seats = set(RoomParticipant.objects.filter(room=room).values_list("pk", flat=True))
    plain = seats - shown
    assert plain  # plain members, not in play
    online = set(sorted(plain)[:3]) | set(sorted(shown)[:1])
    assert selectors.online_named(room, online) == sorted(online & shown)
    payload = presence_payload(room.pk)
    assert payload["online"] == []  # nobody is connected in this test
    assert payload["online_count"] == 0
    snapshot = selectors.snapshot(room, online)
    assert snapshot["online"] == sorted(online & shown)
    assert snapshot["online_count"] == len(online)
