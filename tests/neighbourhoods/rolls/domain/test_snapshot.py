"""A roll snapshot refuses to be inconsistent."""

from __future__ import annotations

import pytest

from neighbourhoods.rolls.domain import (
    RollBasis,
    RollMember,
    RollSnapshot,
)
from tests.neighbourhoods.rolls.domain.builders import (
    AS_OF,
)


class TestSnapshotInvariants:
    def test_inconsistent_head_count_rejected(self):
        member = RollMember("p:1", (1,), 1, 1, 0, ())
        with pytest.raises(ValueError, match="head_count"):
            RollSnapshot(RollBasis.OWNERS, AS_OF, (member,), 2, 0, ())

    def test_inconsistent_total_area_rejected(self):
        member = RollMember("p:1", (1,), 1, 1, 100, (1,))
        with pytest.raises(ValueError, match="total_area"):
            RollSnapshot(RollBasis.OWNERS, AS_OF, (member,), 1, 99, ())

    def test_unsorted_or_duplicate_members_rejected(self):
        a = RollMember("p:1", (1,), 1, 1, 0, ())
        b = RollMember("p:2", (2,), 2, 1, 0, ())
        with pytest.raises(ValueError, match="sorted"):
            RollSnapshot(RollBasis.BODY_MEMBERS, AS_OF, (b, a), 2, 0, ())
        with pytest.raises(ValueError, match="unique"):
            RollSnapshot(RollBasis.BODY_MEMBERS, AS_OF, (a, a), 2, 0, ())
