"""The ballot page's rule block reads in plain Chinese: no variable name, no bare
fraction; provisional (目前……) while open, final once published."""

import re

import pytest

from consultation.ballots import services
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db

VARIABLE_NAMES = (
    "participating_area",
    "total_area",
    "participating_owners",
    "total_owners",
    "yes_area",
    "yes_owners",
    "numerator_field",
)
BARE_FRACTION = re.compile(r"(?<![\d.])\d+\s*/\s*\d+(?![\d.])")


def _text(html: str) -> str:
    """What a resident reads: the page without tags, scripts and attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _check_plain(text: str) -> None:
    for name in VARIABLE_NAMES:
        assert name not in text
    assert not BARE_FRACTION.search(text), BARE_FRACTION.search(text)


def test_open_ballot_rule_block_is_plain_and_provisional(client):
    compound, community, people, staff = owners_compound(4)
    ballot = owners_ballot(compound, community, staff, results_visibility="live")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    services.vote_cast(
        ballot_id=ballot.pk, voter=people[0], selection=option_ids(ballot)["yes"]
    )
    client.force_login(people[1].user)
    text = _text(client.get(f"/ballots/{ballot.pk}/").content.decode())
    assert "表决规则" in text
    assert "参加表决的专有部分面积" in text
    assert "占总面积" in text
    assert "须达三分之二以上" in text
    assert "须过半数" in text
    assert "%" in text
    assert "精确值" in text
    assert "目前参加表决的比例尚未达到法定要求" in text
    _check_plain(text)
    tally = client.get(f"/api/ballots/{ballot.pk}/tally.json")
    assert tally.status_code == 404  # the JSON API answers published ballots only


def test_published_ballot_page_and_json_read_as_the_law(client):
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    for person in people:
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=ids["yes"])
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    text = _text(client.get(f"/ballots/{ballot.pk}/").content.decode())
    assert "通过" in text
    assert "目前" not in text
    assert "100.00%" in text
    _check_plain(text)
    result = client.get(f"/api/ballots/{ballot.pk}/tally.json").json()["result"]
    wording = result["decision"]["wording"]
    assert wording["verdict"] == "通过"
    assert wording["provisional"] is False
    for condition in wording["conditions"]:
        assert condition["text"].endswith("✓")
        _check_plain(condition["text"])
