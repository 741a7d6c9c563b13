"""Issue 9 items 1, 2 and 8 on real ballots: the rule in force when voting closes
judges the ballot, flagged when voting was open across an effective date, on the
page, the tally sheet and the JSON; a rule id not in force on the expected closing
day is refused at creation; below quorum no approval condition reads as met."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consultation.ballots import services
from consultation.ballots.domain.design import BALLOT_RULE_INPUTS
from consultation.ballots.domain.rules import all_rules
from consultation.ballots.exports.sheet import tally_sheet
from consultation.ballots.models import Ballot
from consultation.ballots.selectors import ballot_law, rule_values
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import (
    PersonFactory,
    ResidencyFactory,
    StaffAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BELOW = "未达到参会（参与）要求，表决条件不予认定"


def at(monkeypatch, day: dt.date, hour: int = 10) -> None:
    """Set the clock to ``day`` at ``hour`` o'clock in Asia/Shanghai."""
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def vote(ballot, people, choices) -> None:
    ids = option_ids(ballot)
    for person, choice in zip(people, choices, strict=False):
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[ids[choice]])


def test_owners_ballot_opened_2020_12_20_closed_2026_is_judged_by_the_civil_code(
    monkeypatch, client
):
    compound, community, people, staff = owners_compound(3)
    at(monkeypatch, dt.date(2020, 12, 15))
    ballot = owners_ballot(compound, community, staff)
    at(monkeypatch, dt.date(2020, 12, 20))
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    vote(ballot, people[1:], ["yes", "yes"])
    # While open (expected close: today), the old regulation still applies.
    law = ballot_law(Ballot.objects.get(pk=ballot.pk))
    assert (law["rule"], law["spans_effective_date"]) == (
        "property-regulation-12-legacy",
        False,
    )
    # 23:30 in Shanghai on 2026-02-01 is still 2026-02-01 (15:30 UTC).
    at(monkeypatch, dt.date(2026, 2, 1), hour=23)
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    published = services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    assert ballot.decision_date == dt.date(2026, 2, 1)
    assert ballot.roll_as_of == dt.date(2020, 12, 20)  # the roll stays as taken
    decision = published.result["decision"]
    assert decision["rule"] == "civil-code-278-ordinary"
    assert decision["rule_requested"] == "owners-ordinary"
    assert decision["rule_at_opening"] == "property-regulation-12-legacy"
    assert decision["effective_from"] == "2021-01-01"
    assert decision["effective_to"] is None
    assert decision["decision_date"] == "2026-02-01"
    assert decision["opened_on"] == "2020-12-20"
    assert decision["spans_effective_date"] is True
    assert decision["effective_dates_crossed"] == ["2021-01-01"]
    assert "《民法典》第二百七十八条" in decision["law"]

    sheet = tally_sheet(ballot)["decision"]
    assert sheet["spans_effective_date"] is True
    assert "2021-01-01" in sheet["spans_note"]
    assert sheet["rule"] == "civil-code-278-ordinary"
    assert sheet["in_force"].startswith("2021-01-01")
    assert sheet["decision_date"] == "2026-02-01"

    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "spans-effective-date" in page
    assert "2021-01-01" in page
    assert "civil-code-278-ordinary" in page
    api = client.get(f"/api/ballots/{ballot.pk}/tally.json").json()
    assert api["result"]["decision"]["spans_effective_date"] is True
    assert api["result"]["decision"]["rule"] == "civil-code-278-ordinary"


def residents_community(n: int):
    first = PersonFactory(birth_date=dt.date(1970, 1, 1))
    community = first.home_community
    people = [first] + [
        PersonFactory(home_community=community, birth_date=dt.date(1970, 1, 1))
        for _ in range(n - 1)
    ]
    for person in people:
        ResidencyFactory(person=person, is_representative=True)
    staff = StaffAssignmentFactory(community=community).user
    for person in people:
        person.user = UserFactory()
        person.save()
    return community, people, staff


def residents_ballot(community, staff, **kwargs):
    return services.ballot_create(
        community=community,
        title="关于社区公约的居民会议表决",
        kind="motion",
        options=None,
        basis=RollBasis.RESIDENTS_ADULT,
        scope=RollScope(ScopeKind.COMMUNITY, community.pk),
        actor=staff,
        **kwargs,
    )


def test_residents_ballot_across_2026_01_01_is_judged_by_the_2025_revision(
    monkeypatch, client
):
    community, people, staff = residents_community(3)
    at(monkeypatch, dt.date(2025, 12, 29))
    ballot = residents_ballot(community, staff, rule_id="residents-meeting")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    vote(ballot, people, ["yes", "yes", "no"])
    at(monkeypatch, dt.date(2026, 1, 1), hour=0)  # 00:00 Shanghai = 16:00 UTC eve
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    assert ballot.decision_date == dt.date(2026, 1, 1)
    sheet = tally_sheet(ballot)["decision"]
    assert sheet["rule"] == "residents-meeting-2025"
    assert sheet["needs_legal_review"] is True
    assert sheet["spans_effective_date"] is True
    assert "2026-01-01" in sheet["spans_note"]
    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "spans-effective-date" in page
    assert "residents-meeting-2025" in page


def test_a_ballot_closed_the_eve_keeps_the_2018_rule_and_no_flag(monkeypatch):
    community, people, staff = residents_community(3)
    at(monkeypatch, dt.date(2025, 12, 29))
    ballot = residents_ballot(community, staff, rule_id="residents-meeting")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    vote(ballot, people, ["yes", "yes"])
    at(monkeypatch, dt.date(2025, 12, 31), hour=23)
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    sheet = tally_sheet(Ballot.objects.get(pk=ballot.pk))["decision"]
    assert sheet["rule"] == "residents-meeting-2018"
    assert sheet["spans_effective_date"] is False


def test_create_refuses_a_rule_id_not_in_force_on_the_expected_close(monkeypatch):
    community, _, staff = residents_community(1)
    at(monkeypatch, dt.date(2025, 12, 20))
    before = Ballot.objects.count()
    with pytest.raises(services.BallotError) as raised:
        residents_ballot(
            community,
            staff,
            rule_id="residents-meeting-2018",
            closes_on=dt.date(2026, 1, 2),
        )
    assert raised.value.status == 422
    assert "residents-meeting-2025" in str(raised.value)
    assert "预计截止日" in str(raised.value)
    # closes_at gives the expected closing day too.
    with pytest.raises(services.BallotError):
        residents_ballot(
            community,
            staff,
            rule_id="residents-meeting-2025",
            closes_at=dt.datetime(2025, 12, 30, 18, tzinfo=SHANGHAI),
        )
    assert Ballot.objects.count() == before  # nothing written
    # In force on the expected close: accepted; a family picks by date.
    residents_ballot(
        community,
        staff,
        rule_id="residents-meeting-2018",
        closes_on=dt.date(2025, 12, 31),
    )
    residents_ballot(
        community, staff, rule_id="residents-meeting", closes_on=dt.date(2026, 1, 2)
    )
    # Without a closing day the expected close is today (2025-12-20).
    with pytest.raises(services.BallotError):
        residents_ballot(community, staff, rule_id="residents-meeting-2025")


def test_below_quorum_reads_as_below_quorum_on_page_sheet_and_json(client):
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    vote(ballot, people[:1], ["yes"])  # 1 of 3 take part, and agree: 1/1 yes
    services.ballot_close(ballot_id=ballot.pk, actor=staff)

    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert BELOW in page
    assert "满足</li>" not in page.replace("不满足</li>", "")

    sheet = tally_sheet(Ballot.objects.get(pk=ballot.pk))["decision"]
    assert sheet["below_quorum"] is True
    assert sheet["approval_state"] == BELOW
    for condition in sheet["conditions"]:
        assert condition["holds"] is False
        assert condition["holds_label"] in {"不满足", BELOW}
    approval_labels = {
        c["holds_label"] for c in sheet["conditions"] if c["role"] == "通过比例"
    }
    assert approval_labels == {BELOW}

    services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    api = client.get(f"/api/ballots/{ballot.pk}/tally.json").json()
    assert api["quorum_met"] is False
    decision = api["result"]["decision"]
    assert decision["approval_met"] is False
    assert decision["below_quorum"] is True
    assert decision["approval_state_zh"] == BELOW
    approval = [c for c in decision["conditions"] if c["role"] == "approval"]
    assert approval
    assert all(c["holds"] is False for c in approval)
    assert all(c["state"] == "below_quorum" for c in approval)
    xlsx = client.get(f"/ballots/{ballot.pk}/tally.xlsx")
    assert xlsx.status_code == 200


def test_villagers_meeting_is_refused_for_a_ballot_but_decide_evaluates_it():
    community, _, staff = residents_community(1)
    before = Ballot.objects.count()
    with pytest.raises(services.BallotError) as raised:
        residents_ballot(community, staff, rule_id="villagers-meeting")
    assert raised.value.status == 422
    assert "计算器" in str(raised.value)
    assert Ballot.objects.count() == before


def test_every_ballot_rule_input_is_given_by_rule_values():
    ballot = Ballot(roll_area=1, roll_heads=1)

    class Result:
        participating_area = participating_heads = yes_area = yes_heads = 0

    for rule in all_rules():
        if set(rule.input_names) <= BALLOT_RULE_INPUTS:
            assert set(rule_values(ballot, Result, rule)) == set(rule.input_names)
