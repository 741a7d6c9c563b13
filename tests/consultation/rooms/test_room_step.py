"""A step of 四议两公开 held in a live room: its confirmed minutes become the step's
record on the matter (judged by the step's rule on the show of hands)."""

import pytest

from consultation.records.models import Matter, MatterStep, Meeting
from consultation.records.services.errors import RecordsError
from consultation.rooms import services
from tests.consultation.records.conftest import build_place, open_matter

pytestmark = pytest.mark.django_db


def _room_for_step(place, matter):
    return services.room_create(
        community=place.community,
        body_id=place.party.pk,
        actor=place.staff,
        title="党组织提议会议",
        place="党群服务中心",
        chair_ids=(place.committee_ids[0],),
        secretary_id=place.committee_ids[1],
        matter_id=matter.pk,
        kind="party_committee",
    )


def test_minutes_record_the_awaited_step():
    from consultation.ballots.services import voting_settings_update

    place = build_place()
    voting_settings_update(community=place.community, actor=None, siyi_enabled=True)
    matter = open_matter(place, follow_procedure=True)
    awaited = matter.awaiting_step
    room = _room_for_step(place, matter)
    assert room.meeting.expected_count == 5  # the committee seats
    for pid in place.committee_ids[:4]:
        seat = room.people.get(person_id=pid)
        services.presence_mark(
            room_id=room.pk, actor=place.staff, participant_id=seat.pk, in_hall=True
        )
    services.room_action(room_id=room.pk, actor=place.staff, name="close", params={})
    services.minutes_draft(room_id=room.pk, actor=place.staff)
    with pytest.raises(RecordsError):
        services.minutes_confirm(room_id=room.pk, actor=place.staff, yes=9)
    services.minutes_confirm(room_id=room.pk, actor=place.staff, yes=4)
    meeting = Meeting.objects.get(pk=room.pk)
    assert (meeting.present_count, meeting.yes_count, meeting.outcome) == (
        4,
        4,
        "passed",
    )
    line = MatterStep.objects.get(matter=matter, meeting=meeting)
    assert line.step == awaited
    assert Matter.objects.get(pk=matter.pk).awaiting_step != awaited


def test_a_step_meeting_needs_its_body():
    place = build_place()
    matter = open_matter(place)
    with pytest.raises(RecordsError) as refused:
        services.room_create(
            community=place.community,
            body_id=place.committee.pk,
            actor=place.staff,
            title="x",
            place="y",
            chair_ids=(place.committee_ids[0],),
            matter_id=matter.pk,
            kind="party_committee",
        )
    assert refused.value.code == "wrong_meeting"
