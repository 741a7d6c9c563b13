"""Issue 9 item 5: a community's rule settings stay within the law — a local rule not
below its stated floor, a convening threshold never raised — in the service that
saves them, in the admin form that edits them and when a ballot snapshots them."""

from __future__ import annotations

import json

import pytest

from consultation.ballots import services
from consultation.ballots.admin import VotingSettingsForm
from consultation.ballots.models import Ballot, CommunityVotingSettings
from consultation.ballots.selectors import ballot_decision, ballot_tally
from tests.consultation.ballots.test_ballot_law_dates import (
    residents_ballot,
    residents_community,
    vote,
)

pytestmark = pytest.mark.django_db

BRANCH = "《中国共产党支部工作条例（试行）》第十一条"


def _save(community, staff, overrides):
    return services.voting_settings_update(
        community=community, actor=staff, rule_overrides=overrides
    )


@pytest.mark.parametrize(
    ("overrides", "code", "zh", "en"),
    [
        (
            {"party-members-meeting": {"quorum-present": {"fraction": "1/3"}}},
            "below_floor",
            BRANCH,
            "Refused: below the floor",
        ),
        (
            {"party-members-meeting": {"approval-yes": {"comparator": ">="}}},
            "below_floor",
            BRANCH,
            "Regulation on the Work of CPC Branches",
        ),
        (
            {"residents-meeting-2025": {"quorum-present": {"fraction": "2/5"}}},
            "below_floor",
            "2018年修正",
            "as amended 2018",
        ),
        (
            {"party-members-election": {"quorum-present": {"comparator": ">="}}},
            "below_floor",
            "选举工作条例",
            "Refused",
        ),
        (
            {"residents-meeting-convening": {"proposal-groups": {"fraction": "1/2"}}},
            "above_ceiling",
            "只能降低",
            "may be lowered, never raised",
        ),
        (
            {"owners-extraordinary-meeting": {"proposal-owners": {"comparator": ">"}}},
            "above_ceiling",
            "《物业管理条例》第十三条",
            "never raised",
        ),
        (
            {"dwelling-to-business": {"consent-all": {"fraction": "4/5"}}},
            "below_floor",
            "第二百七十九条",
            "Civil Code",
        ),
    ],
)
def test_a_setting_beyond_the_law_is_refused_and_nothing_written(
    overrides, code, zh, en
):
    community, _, staff = residents_community(1)
    with pytest.raises(services.BallotError) as refused:
        _save(community, staff, overrides)
    error = refused.value
    assert (error.status, error.code) == (422, code)
    assert zh in error.message
    assert en in error.message
    assert not CommunityVotingSettings.objects.filter(community=community).exists()


def test_a_setting_within_the_law_is_saved():
    community, _, staff = residents_community(1)
    allowed = {
        "party-members-meeting": {"quorum-present": {"fraction": "1/2"}},
        "residents-meeting-2025": {"quorum-present": {"fraction": "3/5"}},
        # Lowered for both versions of the family (1/10 is the 2025 placeholder).
        "residents-meeting-convening": {"proposal-residents": {"fraction": "1/10"}},
        "owners-extraordinary-meeting": {"proposal-owners": {"fraction": "1/10"}},
    }
    saved = _save(community, staff, allowed)
    assert saved.rule_overrides == allowed


def test_a_family_setting_must_suit_every_version():
    # 1/8 lowers the 2018 threshold (1/5) but raises the 2025 placeholder (1/10).
    community, _, staff = residents_community(1)
    eighth = {"proposal-residents": {"fraction": "1/8"}}
    with pytest.raises(services.BallotError) as refused:
        _save(community, staff, {"residents-meeting-convening": eighth})
    assert refused.value.code == "above_ceiling"
    assert "1/10" in refused.value.message
    # Named by the 2018 version's id it is a lowering, and kept.
    by_id = {"residents-meeting-convening-2018": eighth}
    assert _save(community, staff, by_id).rule_overrides == by_id


def test_an_unknown_condition_is_refused():
    community, _, staff = residents_community(1)
    with pytest.raises(services.BallotError) as refused:
        _save(community, staff, {"dwelling-to-business": {"quorum-present": "1/2"}})
    assert (refused.value.status, refused.value.code) == (422, "invalid_rule")
    assert "规则设置无效" in refused.value.message


def test_a_party_ballot_snapshots_the_setting_and_is_judged_by_it():
    community, people, staff = residents_community(5)
    setting = {"quorum-present": {"fraction": "1/2", "comparator": ">="}}
    _save(community, staff, {"party-members-meeting": setting})
    ballot = residents_ballot(community, staff, rule_id="party-members-meeting")
    assert ballot.rule_overrides == setting
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    vote(ballot, people[:3], ["yes", "yes", "yes"])
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    decision = ballot_decision(ballot, ballot_tally(ballot))
    # 3 of 5 present: below the local 2/3, above the branch regulation's half.
    assert decision["customised"] is True
    assert decision["quorum_met"] is True
    assert decision["passed"] is True
    # A later change of the community's setting does not touch this ballot.
    _save(community, staff, {})
    ballot.refresh_from_db()
    assert ballot.rule_overrides == setting


def test_a_stale_setting_below_a_floor_is_refused_when_a_ballot_is_created():
    community, _, staff = residents_community(2)
    # Saved before the floor was stated (written around the service on purpose).
    CommunityVotingSettings.objects.create(
        community=community,
        rule_overrides={
            "party-members-meeting": {"quorum-present": {"fraction": "1/3"}}
        },
    )
    before = Ballot.objects.count()
    with pytest.raises(services.BallotError) as refused:
        residents_ballot(community, staff, rule_id="party-members-meeting")
    assert refused.value.status == 422
    assert BRANCH in refused.value.message
    assert Ballot.objects.count() == before


def test_the_admin_form_refuses_a_raised_convening_threshold():
    community, _, _ = residents_community(1)
    raising = {"owners-extraordinary-meeting": {"proposal-owners": {"fraction": "1/4"}}}
    form = VotingSettingsForm(
        data={"community": community.pk, "rule_overrides": json.dumps(raising)}
    )
    assert not form.is_valid()
    [message] = form.errors["rule_overrides"]
    assert "只能降低" in message
    assert "never raised" in message
    lowering = {
        "owners-extraordinary-meeting": {"proposal-owners": {"fraction": "1/10"}}
    }
    form = VotingSettingsForm(
        data={"community": community.pk, "rule_overrides": json.dumps(lowering)}
    )
    assert form.is_valid(), form.errors


def test_the_admin_form_refuses_a_party_meeting_below_its_floor():
    community, _, _ = residents_community(1)
    below = {"party-members-meeting": {"quorum-present": {"fraction": "2/5"}}}
    form = VotingSettingsForm(
        data={"community": community.pk, "rule_overrides": json.dumps(below)}
    )
    assert not form.is_valid()
    assert BRANCH in form.errors["rule_overrides"][0]


def test_the_admin_form_shows_what_each_rule_allows():
    help_text = str(VotingSettingsForm().fields["rule_overrides"].help_text)
    assert BRANCH in help_text
    assert "提议门槛只能降低" in help_text
    assert "需法律审核" in help_text
