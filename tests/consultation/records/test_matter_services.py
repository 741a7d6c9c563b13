"""Matters through 四议两公开: order, quorum, rejection, supervision, signatures."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from consultation.disclosures import services as disclosure_services
from consultation.records import selectors, services
from consultation.records.models import Matter, MatterStep, Meeting
from consultation.records.selectors.members import voting_members
from yishi.audit import AuditEntry

from .conftest import linked_user, open_matter, show_of_hands


def _step1(place, matter, present=None, yes=None):
    present = place.committee_ids[:4] if present is None else present
    return services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=show_of_hands(
            "party_proposal",
            "party_committee",
            body=place.party,
            present=present,
            yes=len(present) if yes is None else yes,
        ),
    )


def _step2(place, matter):
    return services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=show_of_hands(
            "two_committees",
            "two_committees",
            body=place.party,
            co_body=place.committee,
            present=[
                *place.committee_ids,
                place.committee.memberships.last().person_id,
            ],
            yes=6,
        ),
    )


def _step3(place, matter, present):
    return services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=show_of_hands(
            "party_members_review",
            "party_members",
            body=place.party,
            present=present,
            yes=len(present),
        ),
    )


def test_a_matter_of_a_listed_category_follows_the_procedure(place):
    matter = open_matter(place)
    assert matter.follows_procedure
    assert matter.awaiting_step == "party_proposal"
    other = open_matter(place, category="other")
    assert not other.follows_procedure
    assert AuditEntry.objects.filter(action="matter_create").count() == 2


def test_whole_procedure_through_to_the_result_disclosed(place):
    matter = open_matter(place)
    _step1(place, matter)
    _step2(place, matter)
    _step3(place, matter, place.party_ids[:7])
    reps = [p.pk for p in place.residents[:4]]
    services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=show_of_hands(
            "residents_resolution",
            "representatives_meeting",
            body=place.reps,
            present=reps,
            yes=4,
        ),
    )
    for step in ("resolution_disclosed", "implementation", "result_disclosed"):
        if step == "implementation":
            services.matter_step_record(
                matter_id=matter.pk, actor=place.staff, step=step, text="已完成。"
            )
            continue
        entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
        disclosure_services.disclosure_review(
            entry_id=entry.pk, actor=None, approve=True
        )
        disclosure_services.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    matter.refresh_from_db()
    assert matter.status == "completed"
    page = selectors.matter_page(matter.pk)
    assert [row["line"].outcome for row in page["timeline"]] == [
        "passed",
        "passed",
        "passed",
        "passed",
        "done",
        "done",
        "done",
    ]
    payload = services.matter_step_disclosure_payload(matter.pk)
    assert payload["title"] == matter.title
    assert len(payload["source_ids"]["meetings"]) == 4
    assert "党员大会审议：通过" in payload["body"]


def test_a_step_out_of_order_is_refused_and_nothing_is_written(place):
    matter = open_matter(place)
    with pytest.raises(services.RecordsConflict) as refused:
        _step3(place, matter, place.party_ids)
    assert refused.value.status == 409
    assert "步骤顺序不对" in refused.value.message
    assert not Meeting.objects.exists()
    with pytest.raises(services.RecordsConflict):
        services.matter_step_record(
            matter_id=matter.pk, actor=place.staff, step="implementation", text="x"
        )
    assert not MatterStep.objects.exists()


def test_a_missed_quorum_is_recorded_and_blocks_the_next_step(place):
    matter = open_matter(place)
    meeting = _step1(place, matter, present=place.committee_ids[:2])  # 2 of 5
    assert meeting.outcome == "quorum_missed"
    matter.refresh_from_db()
    assert matter.awaiting_step == "party_proposal"
    with pytest.raises(services.RecordsConflict):
        _step2(place, matter)
    _step1(place, matter)  # held again, with a quorum
    _step2(place, matter)


def test_party_members_meeting_counts_members_with_a_vote(place):
    assert voting_members(place.party) == sorted(place.party_ids)
    matter = open_matter(place)
    _step1(place, matter)
    _step2(place, matter)
    # 6 of 9 is exactly 2/3 ("以上" includes it): quorum met.
    meeting = _step3(place, matter, place.party_ids[:6])
    assert meeting.expected_count == 9
    assert meeting.outcome == "passed"


def test_rejection_returns_for_revision_or_ends(place):
    matter = open_matter(place)
    meeting = _step1(place, matter, yes=1)
    assert meeting.outcome == "rejected"
    with pytest.raises(services.RecordsConflict):
        services.matter_revise(
            matter_id=matter.pk,
            actor=place.staff,
            to_step="party_members_review",
            text="x",
        )
    services.matter_revise(
        matter_id=matter.pk, actor=place.staff, to_step="party_proposal", text="修改"
    )
    _step1(place, matter, yes=0)
    services.matter_end(matter_id=matter.pk, actor=place.staff, text="不再推进")
    matter.refresh_from_db()
    assert matter.status == "ended"


def test_someone_present_who_is_not_a_member_is_refused(place):
    matter = open_matter(place)
    with pytest.raises(services.RecordsError) as refused:
        _step1(place, matter, present=[place.residents[0].pk])
    assert refused.value.status == 422
    assert not Meeting.objects.exists()


def test_impossible_counts_are_refused(place):
    matter = open_matter(place)
    with pytest.raises(services.RecordsError) as refused:
        _step1(place, matter, present=place.committee_ids[:3], yes=4)
    assert refused.value.code == "counts"


def test_a_member_present_signs_on_their_account_only(place):
    matter = open_matter(place)
    meeting = _step1(place, matter, present=place.committee_ids[:4])
    member = Matter.objects.get(pk=matter.pk).community.people.get(
        pk=place.committee_ids[0]
    )
    row = services.attendance_confirm(meeting_id=meeting.pk, actor=linked_user(member))
    assert row.confirmed_at is not None
    absent = place.community.people.get(pk=place.committee_ids[4])
    with pytest.raises(services.RecordsForbidden):
        services.attendance_confirm(meeting_id=meeting.pk, actor=linked_user(absent))


def test_supervision_opinion_by_a_member_at_any_step(place):
    matter = open_matter(place)
    user = linked_user(place.supervisor)
    line = services.supervision_opinion_record(
        matter_id=matter.pk, actor=user, text="程序合规。"
    )
    assert line.supervisor == place.supervisor
    matter.refresh_from_db()
    assert matter.awaiting_step == "party_proposal"
    stranger = linked_user(place.residents[0])
    with pytest.raises(services.RecordsForbidden):
        services.supervision_opinion_record(
            matter_id=matter.pk, actor=stranger, text="x"
        )


def test_only_the_community_staff_record_steps(place):
    from tests.neighbourhoods.factories import StaffAssignmentFactory

    matter = open_matter(place)
    other = StaffAssignmentFactory().user
    with pytest.raises(services.RecordsForbidden):
        _step1(type(place)(**{**place.__dict__, "staff": other}), matter)


def test_merged_first_steps(place):
    from consultation.ballots.services import voting_settings_update

    voting_settings_update(
        community=place.community, actor=None, siyi_merge_first_steps=True
    )
    matter = open_matter(place)
    assert matter.awaiting_step == "two_committees"
    with pytest.raises(services.RecordsConflict):
        _step1(place, matter)
    _step2(place, matter)


def _party_ballot(place, rule_id="party-members-meeting", voters=7):
    from consultation.ballots import services as ballots
    from neighbourhoods.models import Person
    from neighbourhoods.rolls.domain import RollBasis
    from neighbourhoods.rolls.scopes import RollScope, ScopeKind

    ballot = ballots.ballot_create(
        community=place.community,
        title="党员大会表决：健身广场改造",
        actor=place.staff,
        scope=RollScope(ScopeKind.BODY, place.party.pk),
        kind="motion",
        options=None,
        basis=RollBasis.PARTY_MEMBERS,
        rule_id=rule_id,
    )
    ballots.ballot_open(ballot_id=ballot.pk, actor=place.staff)
    yes = ballot.options.order_by("position").first()
    for person in Person.objects.filter(pk__in=place.party_ids[:voters]):
        ballots.vote_cast(ballot_id=ballot.pk, voter=person, selection=[yes.pk])
    ballots.ballot_close(ballot_id=ballot.pk, actor=place.staff)
    ballots.ballot_publish(ballot_id=ballot.pk, actor=place.staff)
    return ballot


def _ballot_input(ballot, kind="party_members", step="party_members_review", body=None):
    from .conftest import held

    return services.MeetingInput(
        step=step,
        kind=kind,
        held_at=held(),
        place="社区会议室",
        text="审议改造方案。",
        vote_method="ballot",
        body_id=body.pk if body else None,
        ballot_id=ballot.pk,
    )


def test_a_step_votes_by_a_published_ballot_judged_by_the_same_rule(place):
    matter = open_matter(place)
    _step1(place, matter)
    _step2(place, matter)
    ballot = _party_ballot(place)
    meeting = services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=_ballot_input(ballot, body=place.party),
    )
    assert meeting.ballot == ballot
    assert (meeting.expected_count, meeting.present_count, meeting.yes_count) == (
        9,
        7,
        7,
    )
    assert meeting.outcome == "passed"
    second = open_matter(place, title="另一事项")
    with pytest.raises(services.RecordsConflict) as used:
        services.meeting_record(
            matter_id=second.pk,
            actor=place.staff,
            data=_ballot_input(ballot, body=place.party),
        )
    assert used.value.status == 409


def test_a_ballot_under_another_rule_is_refused(place):
    matter = open_matter(place)
    _step1(place, matter)
    _step2(place, matter)
    ballot = _party_ballot(place, rule_id="committee-meeting")
    with pytest.raises(services.RecordsError) as refused:
        services.meeting_record(
            matter_id=matter.pk,
            actor=place.staff,
            data=_ballot_input(ballot, body=place.party),
        )
    assert refused.value.code == "wrong_rule"


def test_a_meeting_in_year_one_is_refused(place):
    matter = open_matter(place)
    _step1(place, matter)
    _step2(place, matter)
    ballot = _party_ballot(place)
    data = dataclasses.replace(
        _ballot_input(ballot, body=place.party),
        held_at=dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC),
    )
    before = Meeting.objects.filter(matter=matter).count()
    with pytest.raises(services.RecordsError) as refused:
        services.meeting_record(matter_id=matter.pk, actor=place.staff, data=data)
    assert refused.value.status == 422
    assert "2000 年至 2099 年之间" in refused.value.message
    assert Meeting.objects.filter(matter=matter).count() == before
