"""Residents' proposals: one support per person, withdrawal, paper, groups, agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from consultation.records import selectors, services
from consultation.records.models import ProposalSupport
from consultation.records.selectors.proposals import agenda_deadline, is_overdue
from tests.neighbourhoods.factories import PersonFactory

from .conftest import build_place, linked_user


@pytest.fixture
def place(db):
    """Twenty households: one support is never enough, under either version."""
    return build_place(residents=20)


def _support_until_met(place, proposal):
    for person in place.residents[1:]:
        services.proposal_support(proposal_id=proposal.pk, actor=linked_user(person))
        proposal.refresh_from_db()
        if proposal.status == "met":
            return person.user
    raise AssertionError("never met")


def _propose(place, person):
    return services.proposal_create(
        community=place.community,
        actor=linked_user(person),
        title="增设电动车充电桩",
        description="提请居民会议讨论在各小区增设充电桩。",
    )


@pytest.fixture
def proposal(place):
    return _propose(place, place.residents[0])


def test_the_proposer_supports_first_and_the_page_reads_plain_chinese(place, proposal):
    page = selectors.proposal_page(proposal, place.residents[0].user)
    assert page["supports"] == 1
    households = page["progress"].routes[1]
    assert households.whole == 20
    assert households.words == (
        f"已有 1 户支持，须达{'五' if households.need == 4 else '十'}分之一以上"
        f"即 {households.need} 户（还差 {households.need - 1} 户）。"
    )


def test_one_support_per_person_by_database_constraint(place, proposal):
    user = linked_user(place.residents[1])
    services.proposal_support(proposal_id=proposal.pk, actor=user)
    with pytest.raises(services.RecordsConflict) as twice:
        services.proposal_support(proposal_id=proposal.pk, actor=user)
    assert twice.value.status == 409
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalSupport.objects.create(
            proposal=proposal, person=place.residents[1], channel="paper"
        )


def test_support_withdrawable_until_the_threshold_is_met(place, proposal):
    user = _support_until_met(place, proposal)
    assert proposal.threshold_met_on is not None
    with pytest.raises(services.RecordsConflict) as refused:
        services.proposal_support_withdraw(proposal_id=proposal.pk, actor=user)
    assert refused.value.code == "threshold_met"


def test_withdraw_before_the_threshold(place):
    proposal = _propose(place, place.residents[0])
    services.proposal_support_withdraw(
        proposal_id=proposal.pk, actor=place.residents[0].user
    )
    assert not proposal.supports.exists()


def test_a_non_resident_cannot_support(place, proposal):
    outsider = PersonFactory()
    with pytest.raises(services.RecordsError) as refused:
        services.proposal_support(proposal_id=proposal.pk, actor=linked_user(outsider))
    assert refused.value.status == 403


def test_staff_enter_paper_signatures_all_or_nothing(place, proposal):
    ids = [place.residents[2].pk, place.residents[0].pk]  # the proposer already did
    with pytest.raises(services.RecordsConflict):
        services.proposal_paper_supports_record(
            proposal_id=proposal.pk, actor=place.staff, person_ids=ids, sheet="S-1"
        )
    assert proposal.supports.count() == 1
    services.proposal_paper_supports_record(
        proposal_id=proposal.pk,
        actor=place.staff,
        person_ids=[place.residents[2].pk],
        sheet="S-1",
    )
    assert proposal.supports.filter(channel="paper").count() == 1


def test_met_proposal_is_due_on_the_agenda_and_overdue_after(place, proposal):
    _support_until_met(place, proposal)
    due = agenda_deadline(proposal)
    assert due.days == 15
    assert not is_overdue(proposal, proposal.threshold_met_on)
    assert is_overdue(proposal, due.last_day + dt.timedelta(days=1))
    matter = services.proposal_place_on_agenda(
        proposal_id=proposal.pk, actor=place.staff, category="public_welfare"
    )
    proposal.refresh_from_db()
    assert proposal.status == "on_agenda"
    assert matter.source == "resident_proposal"
    assert not is_overdue(proposal, due.last_day + dt.timedelta(days=30))


def test_a_group_proposal_is_an_act_of_the_group(place):
    from neighbourhoods.models import ResidentsGroup

    groups = [
        ResidentsGroup.objects.create(
            community=place.community, number=n, name=f"{n}组"
        )
        for n in (1, 2, 3)
    ]
    leader = place.residents[3]
    residency = leader.residencies.get()
    residency.is_group_representative = True
    residency.save()
    residency.household.residents_group = groups[0]
    residency.household.save()
    proposal = _propose(place, place.residents[0])
    act = services.proposal_group_act_record(
        proposal_id=proposal.pk,
        actor=linked_user(leader),
        group_id=groups[0].pk,
        met_on=dt.date.today(),
    )
    assert act.leader == leader
    proposal.refresh_from_db()
    assert proposal.status == "met"  # 1 of 3 groups: 1/3 以上
    with pytest.raises(services.RecordsForbidden):
        services.proposal_group_act_record(
            proposal_id=proposal.pk,
            actor=place.residents[0].user,
            group_id=groups[1].pk,
            met_on=dt.date.today(),
        )
