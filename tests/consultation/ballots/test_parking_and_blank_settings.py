"""The counting settings of issue 9 items 3 and 4 on real ballots: snapshotted at
creation (a later change of the community's setting never alters an existing or
published tally), shown on the ballot page and the tally sheet; invalid papers (废票)
entered by staff with their sheet number."""

import io

import pytest
from openpyxl import load_workbook

from consultation.ballots import exports, selectors, services
from consultation.ballots.domain.ballots import INVALID_PAPER
from consultation.ballots.models import (
    Participation,
    RollEntry,
    SecretPaper,
    VoteConflict,
)
from neighbourhoods.models import ExclusivePart, Ownership, Person
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def parking_compound():
    """Six flat owners and three owners of a parking space only."""
    compound, community, people, staff = owners_compound(6)
    building = compound.buildings.get()
    spaces = ExclusivePart.objects.bulk_create(
        ExclusivePart(
            building=building,
            kind=ExclusivePart.Kind.PARKING,
            number=f"B1-{i:03d}",
            area_register=1_300,
        )
        for i in range(3)
    )
    drivers = Person.objects.bulk_create(
        Person(full_name=f"车位业主{i}", home_community=community) for i in range(3)
    )
    Ownership.objects.bulk_create(
        Ownership(part=part, person=person, basis=Ownership.Basis.REGISTERED)
        for part, person in zip(spaces, drivers, strict=True)
    )
    return compound, community, people, staff


def _vote_and_close(ballot, people, staff, choices=("yes",) * 5):
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    for person, choice in zip(people, choices, strict=False):
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[ids[choice]])
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    return ballot


def test_a_later_setting_change_never_alters_an_existing_or_published_tally(
    parking_compound,
):
    compound, community, people, staff = parking_compound
    services.voting_settings_update(
        community=community, actor=staff, count_parking_only_owners=False
    )
    before = owners_ballot(compound, community, staff)
    services.voting_settings_update(
        community=community, actor=staff, count_parking_only_owners=True
    )
    after = owners_ballot(compound, community, staff)
    assert (before.count_parking_only_owners, after.count_parking_only_owners) == (
        False,
        True,
    )
    before = _vote_and_close(before, people, staff)
    after = _vote_and_close(after, people, staff)
    # Five of six flat owners: 5/6 of heads meets 2/3; 5/9 with the drivers does not.
    assert (before.roll_heads, after.roll_heads) == (6, 9)
    published = services.ballot_publish(ballot_id=before.pk, actor=staff)
    assert published.quorum_met is True
    fresh = selectors.tally_as_dict(after, selectors.ballot_tally(after))
    assert fresh["decision"]["quorum_met"] is False
    # The community changes its mind again: neither ballot moves.
    services.voting_settings_update(
        community=community,
        actor=staff,
        count_parking_only_owners=False,
        count_parking_area=True,
        blank_invalid_participate=False,
    )
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.count_parking_only_owners is False
    assert after.count_parking_only_owners is True
    assert after.blank_invalid_participate is True
    assert selectors.ballot_view_tally(before) == selectors.with_wording(
        published.result
    )
    again = selectors.tally_as_dict(after, selectors.ballot_tally(after))
    assert again["decision"] == fresh["decision"]
    assert again["counting"] == fresh["counting"]


def test_a_matter_that_concerns_parking_counts_the_drivers_and_their_area(
    parking_compound,
):
    compound, community, _people, staff = parking_compound
    services.voting_settings_update(
        community=community, actor=staff, count_parking_only_owners=False
    )
    ballot = owners_ballot(compound, community, staff, concerns_parking=True)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    flats = sum(9000 + i for i in range(6))
    assert (ballot.roll_heads, ballot.roll_area) == (9, flats + 3 * 1_300)


def test_concerns_parking_means_nothing_off_an_owners_roll(parking_compound):
    compound, community, _people, staff = parking_compound
    ballot = owners_ballot(
        compound,
        community,
        staff,
        basis=RollBasis.RESIDENTS_ADULT,
        rule_id="",
        weighted_by_area=False,
        concerns_parking=True,
        scope=RollScope(ScopeKind.COMMUNITY, community.pk),
    )
    assert ballot.concerns_parking is False
    rows = selectors.ballot_counting_rows(ballot)
    assert [row["key"] for row in rows] == ["blank_invalid"]


def test_settings_shown_on_the_ballot_page_and_the_tally_sheet(
    client, parking_compound
):
    compound, community, people, staff = parking_compound
    services.voting_settings_update(
        community=community, actor=staff, blank_invalid_participate=False
    )
    ballot = _vote_and_close(owners_ballot(compound, community, staff), people, staff)
    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    for text in (
        "计票口径",
        "不计入专有部分面积",
        "《业主大会和业主委员会指导规则》第二十五条",
        "仅有车位的业主",
        "计入业主人数",
        "第九条",
        "需法律审核",
        "不计入参与表决",
    ):
        assert text in page, text
    sheet = exports.tally_sheet(ballot)
    rows = {row["key"]: row for row in sheet["counting"]}
    assert rows["parking_only_owners"]["needs_legal_review"] is True
    assert rows["blank_invalid"]["value"].startswith("不计入参与表决")
    html = exports.tally_sheet_html(sheet, ballot_url="http://testserver/")
    assert "计票口径" in html
    assert "第二十五条" in html
    assert "不计入参与表决" in html
    workbook = load_workbook(
        io.BytesIO(client.get(f"/ballots/{ballot.pk}/tally.xlsx").content)
    )
    cells = {c.value for row in workbook.active.iter_rows() for c in row}
    assert "仅有车位的业主" in cells


def test_a_frozen_record_keeps_its_counting_settings(parking_compound):
    compound, community, people, staff = parking_compound
    ballot = _vote_and_close(owners_ballot(compound, community, staff), people, staff)
    published = services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    assert published.result["counting"] == {
        "owners": True,
        "count_parking_area": False,
        "count_parking_only_owners": True,
        "concerns_parking": False,
        "blank_invalid_participate": True,
    }


# --- Invalid papers (废票) entered by staff -------------------------------------------


@pytest.fixture
def open_owners_ballot(parking_compound):
    compound, community, people, staff = parking_compound
    services.voting_settings_update(
        community=community, actor=staff, blank_invalid_participate=False
    )
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff


def _entry(ballot, person):
    return RollEntry.objects.get(ballot=ballot, voter=person)


def test_staff_record_an_invalid_sheet_with_its_number(client, open_owners_ballot):
    ballot, people, staff = open_owners_ballot
    client.force_login(staff)
    response = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {
            "entry": _entry(ballot, people[0]).pk,
            "invalid": "1",
            "sheet_number": "A-007",
            "witness": "张监票",
        },
    )
    assert response.status_code == 302
    paper = Participation.objects.get(ballot=ballot)
    assert (paper.selection, paper.sheet_number, paper.channel) == (
        INVALID_PAPER,
        "A-007",
        "paper",
    )
    services.vote_cast(
        ballot_id=ballot.pk, voter=people[1], selection=[option_ids(ballot)["yes"]]
    )
    tally = selectors.tally_as_dict(ballot, selectors.ballot_tally(ballot))
    participation = tally["participation"]
    assert (participation["received_heads"], participation["invalid_heads"]) == (2, 1)
    assert participation["heads"] == 1  # this community does not count it
    # The voter has voted: a second sheet for them is refused, and kept for staff.
    again = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {
            "entry": _entry(ballot, people[0]).pk,
            "option": option_ids(ballot)["yes"],
            "sheet_number": "A-008",
            "witness": "张监票",
        },
    )
    assert again.status_code == 409
    assert VoteConflict.objects.filter(ballot=ballot, sheet_number="A-008").exists()
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "收到选票 2 份，其中空白票 0 份、废票 1 份" in page
    assert "不计入参与表决" in page


def test_an_invalid_sheet_with_choices_is_refused_with_nothing_written(
    client, open_owners_ballot
):
    ballot, people, staff = open_owners_ballot
    client.force_login(staff)
    response = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {
            "entry": _entry(ballot, people[0]).pk,
            "invalid": "1",
            "option": option_ids(ballot)["yes"],
            "sheet_number": "A-009",
            "witness": "张监票",
        },
    )
    assert response.status_code == 422
    assert "废票" in response.content.decode()
    assert not Participation.objects.filter(ballot=ballot).exists()


def test_nobody_can_cast_an_invalid_paper_online(open_owners_ballot):
    ballot, people, _staff = open_owners_ballot
    with pytest.raises(services.BallotError) as refused:
        services.vote_cast(
            ballot_id=ballot.pk, voter=people[0], selection=dict(INVALID_PAPER)
        )
    assert refused.value.status == 400
    assert not Participation.objects.filter(ballot=ballot).exists()


def test_an_invalid_paper_from_a_secret_ballot_box(parking_compound):
    compound, community, people, staff = parking_compound
    ballot = owners_ballot(compound, community, staff, secrecy="secret")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    entry = _entry(ballot, people[0])
    services.paper_vote_enter(
        ballot_id=ballot.pk,
        entry_id=entry.pk,
        selection=None,
        sheet_number="S-1",
        witness="王监票",
        actor=staff,
    )
    services.secret_paper_enter(
        ballot_id=ballot.pk, selection={"options": []}, actor=staff, invalid=True
    )
    assert SecretPaper.objects.get(ballot=ballot).selection == INVALID_PAPER
    result = selectors.ballot_tally(ballot)
    assert (result.invalid_heads, result.participating_heads) == (1, 1)
