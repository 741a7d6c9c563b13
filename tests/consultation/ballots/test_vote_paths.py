"""Details of the vote paths that the end-to-end tests cannot see.

Paper votes: a reused sheet number, a second paper and an online
vote then a paper one, each refused with nothing written.
"""

import pytest

from consultation.ballots import services
from consultation.ballots.models import Participation, RollEntry, VoteConflict
from tests.consultation.factories import option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(open_ballot):
    """The open ballot (tests/consultation/ballots/conftest.py), its roll entries."""
    ballot, people, staff = open_ballot
    entries = list(RollEntry.objects.filter(ballot=ballot).order_by("key"))
    return ballot, entries, staff, people


def _paper(ballot, entry, staff, sheet, choice="yes"):
    return services.paper_vote_enter(
        ballot_id=ballot.pk,
        entry_id=entry.pk,
        selection=[option_ids(ballot)[choice]],
        sheet_number=sheet,
        witness="监票人",
        actor=staff,
    )


def test_a_reused_sheet_number_is_409_with_nothing_written(opened):
    ballot, entries, staff, _ = opened
    _paper(ballot, entries[0], staff, "S-1")
    with pytest.raises(services.BallotError) as refused:
        _paper(ballot, entries[1], staff, "S-1")
    assert (refused.value.code, refused.value.status) == ("duplicate_reference", 409)
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert not VoteConflict.objects.filter(ballot=ballot).exists()


def test_a_second_paper_is_refused_and_kept_as_a_conflict(opened):
    ballot, entries, staff, _ = opened
    _paper(ballot, entries[0], staff, "S-1")
    with pytest.raises(services.AlreadyVoted):
        _paper(ballot, entries[0], staff, "S-2", choice="no")
    assert Participation.objects.filter(ballot=ballot).count() == 1
    conflict = VoteConflict.objects.get(ballot=ballot)
    assert (conflict.first_channel, conflict.channel, conflict.sheet_number) == (
        "paper",
        "paper",
        "S-2",
    )


def test_a_paper_after_an_online_vote_is_refused_as_a_conflict(opened):
    ballot, entries, staff, _ = opened
    entry = entries[0]
    services.vote_cast(
        ballot_id=ballot.pk,
        voter=entry.voter,
        selection=[option_ids(ballot)["yes"]],
        idempotency_key="k",
    )
    with pytest.raises(services.AlreadyVoted):
        _paper(ballot, entry, staff, "S-9")
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert VoteConflict.objects.get(ballot=ballot).first_channel == "online"
