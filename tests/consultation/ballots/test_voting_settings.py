"""Community voting settings: floors, consultative owners' votes, official results."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots import services
from consultation.ballots.domain.rules import rule_for
from consultation.ballots.domain.thresholds import evaluate
from consultation.ballots.models import Ballot
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def compound():
    return owners_compound(4)


def test_loosening_a_national_floor_is_refused_naming_the_law(compound):
    _, community, _, staff = compound
    loosen = {"owners-ordinary": {"quorum-area": {"fraction": "1/2"}}}
    with pytest.raises(services.BallotError) as refused:
        services.voting_settings_update(
            community=community, actor=staff, rule_overrides=loosen
        )
    assert refused.value.status == 422
    assert "民法典" in refused.value.message
    from consultation.ballots.models import CommunityVotingSettings

    assert not CommunityVotingSettings.objects.filter(community=community).exists()


def test_tightening_is_kept_and_applied_to_new_ballots(compound):
    compound_, community, people, staff = compound
    tighten = {"owners-ordinary": {"approval-owners": {"fraction": "2/3"}}}
    services.voting_settings_update(
        community=community, actor=staff, rule_overrides=tighten
    )
    ballot = owners_ballot(compound_, community, staff)
    assert ballot.rule_overrides == tighten["owners-ordinary"]
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    for person, choice in zip(people[:3], ["yes", "yes", "no"], strict=True):
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[ids[choice]])
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    published = services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    decision = published.result["decision"]
    approval = {c["key"]: c for c in decision["conditions"]}["approval-owners"]
    assert (approval["actual"], approval["required"]) == ("2/3", "2/3")
    assert published.passed is False
    # The same count under the law's own rule (more than half) would have passed.
    ballot.refresh_from_db()
    law = rule_for("owners-ordinary", ballot.decision_date)
    assert evaluate(law, decision["values"]).passed is True


def test_consultative_owners_ballot_and_official_result(compound):
    compound_, community, people, staff = compound
    services.voting_settings_update(
        community=community, actor=staff, owners_votes_consultative=True
    )
    ballot = owners_ballot(compound_, community, staff)
    assert ballot.consultative
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=[ids["yes"]])
    with pytest.raises(services.BallotStateError):
        services.official_result_record(
            ballot_id=ballot.pk,
            option_counts={},
            roll_heads=4,
            roll_area=1,
            source_document=None,
            actor=staff,
        )
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    document = SimpleUploadedFile("官方结果.pdf", b"%PDF-1.4", "application/pdf")
    with pytest.raises(services.BallotError):
        services.official_result_record(
            ballot_id=ballot.pk,
            option_counts={ids["yes"]: (5, 100)},
            roll_heads=4,
            roll_area=40000,
            source_document=document,
            actor=staff,
        )
    published = services.official_result_record(
        ballot_id=ballot.pk,
        option_counts={ids["yes"]: (3, 30000), ids["no"]: (0, 0)},
        roll_heads=4,
        roll_area=40000,
        source_document=document,
        actor=staff,
    )
    assert published.official
    assert published.result["participation"]["heads"] == 3
    assert (
        published.result["platform_consultative_tally"]["participation"]["heads"] == 1
    )
    assert published.passed is True  # 3/4 of heads and area take part, all agree
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PUBLISHED
