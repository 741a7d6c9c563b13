"""Staff enter a stack of paper ballots by unit: find the voter by building-room or
name with their unit shown, the next sheet number and the scrutineer carried over,
a repeated sheet number refused with nothing written (issue #9 item 14)."""

import re

import pytest

from consultation.ballots import selectors
from consultation.ballots.models import Participation
from neighbourhoods.models import Person
from tests.consultation.factories import option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_li_hao(open_ballot):
    """The open ballot's three owners all named 李昊 (the demo has three)."""
    ballot, people, staff = open_ballot
    Person.objects.filter(pk__in=[p.pk for p in people]).update(full_name="李昊")
    return ballot, people, staff


def test_a_name_shared_by_three_shows_each_unit(three_li_hao):
    ballot, _, _ = three_li_hao
    found = selectors.paper_entry_candidates(ballot, "李昊")
    assert [c.name for c in found] == ["李昊"] * 3
    building = ballot.compound.buildings.get().number
    assert sorted(c.units for c in found) == [
        (f"{building}栋{room}室",) for room in ("1000", "1001", "1002")
    ]
    assert all(c.area.endswith("㎡") for c in found)


def test_found_by_building_and_room_as_typed(three_li_hao):
    ballot, _, _ = three_li_hao
    building = ballot.compound.buildings.get().number
    for typed in (f"{building}-1001", f"{building}栋1001室", "1001"):
        found = selectors.paper_entry_candidates(ballot, typed)
        assert [c.units for c in found] == [(f"{building}栋1001室",)], typed
    assert selectors.paper_entry_candidates(ballot, "9-9999") == []
    assert selectors.paper_entry_candidates(ballot, "") == []


def _enter(client, ballot, entry_id, sheet, witness="张监票"):
    return client.post(
        f"/ballots/{ballot.pk}/paper/",
        {
            "entry": entry_id,
            "option": option_ids(ballot)["yes"],
            "sheet_number": sheet,
            "witness": witness,
        },
    )


def test_a_stack_of_sheets_by_keyboard_and_a_repeated_number(client, three_li_hao):
    ballot, _, staff = three_li_hao
    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/manage/?find=1000")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1000室 · 李昊" in html
    assert re.search(r'name="entry" value="\d+" required checked', html)
    first = selectors.paper_entry_candidates(ballot, "1000")[0]
    answer = _enter(client, ballot, first.entry_id, "P-009")
    assert answer.status_code == 302
    # The next sheet of the stack and the same scrutineer come back filled in.
    assert answer["Location"].endswith(
        "?sheet=P-010&witness=%E5%BC%A0%E7%9B%91%E7%A5%A8#paper"
    )
    following = client.get(answer["Location"].split("#")[0] + "&find=1001")
    assert 'value="P-010"' in following.content.decode()
    assert 'value="张监票"' in following.content.decode()
    second = selectors.paper_entry_candidates(ballot, "1001")[0]
    repeated = _enter(client, ballot, second.entry_id, "P-009")
    assert repeated.status_code == 409
    assert "选票编号" in repeated.content.decode()
    assert Participation.objects.filter(ballot=ballot).count() == 1
    # A voter who has voted is shown as such and cannot be picked again.
    again = client.get(f"/ballots/{ballot.pk}/manage/?find=1000").content.decode()
    assert "已投票" in again
    assert re.search(r'name="entry" value="\d+" required disabled', again)
