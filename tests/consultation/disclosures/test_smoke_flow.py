import pytest

from consultation.disclosures import selectors
from tests.consultation.disclosures.factories import (
    board_setup,
    publish_entry,
    publish_quick,
)

pytestmark = pytest.mark.django_db


def test_publish_builds_a_verifiable_chain():
    board = board_setup()
    first = publish_entry(board)
    assert first.seq == 1
    assert first.state == "published"
    publish_quick(board.community, 3)
    verdict = selectors.chain_verdict(board.community.pk)
    assert verdict.ok, verdict.describe()
    assert verdict.checked == 4
