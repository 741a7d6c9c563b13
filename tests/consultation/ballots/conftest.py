"""Fixtures shared by the ballot tests."""

import pytest

from consultation.ballots import services
from tests.consultation.factories import owners_ballot, owners_compound


@pytest.fixture
def open_ballot():
    """An owners' ballot over three owners, open: (ballot, people, staff)."""
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff
