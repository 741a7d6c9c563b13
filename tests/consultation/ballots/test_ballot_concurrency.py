"""Votes racing each other and racing the close, on a real PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from consultation.ballots import services
from consultation.ballots.models import Ballot, Participation
from consultation.ballots.selectors import ballot_tally, tally_as_dict
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 40


def _run_all(calls):
    """Run the calls from THREADS threads released together; collect outcomes."""
    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()
    chunks = [calls[i::THREADS] for i in range(THREADS)]

    def worker(chunk):
        barrier.wait()
        try:
            for call in chunk:
                try:
                    result = ("ok", call())
                except services.BallotError as error:
                    result = (error.code, None)
                with lock:
                    outcomes.append(result)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, chunks))
    return outcomes


def test_500_voters_submitting_twice_at_once_count_exactly_500():
    compound, community, people, staff = owners_compound(500, with_users=False)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    yes = option_ids(ballot)["yes"]
    calls = []
    for person in people:
        for _ in range(2):
            calls.append(
                lambda p=person: services.vote_cast(
                    ballot_id=ballot.pk, voter=p, selection=[yes]
                )
            )
    outcomes = _run_all(calls)
    codes = [code for code, _ in outcomes]
    assert codes.count("ok") == 500
    assert codes.count("already_voted") == 500
    assert Participation.objects.filter(ballot=ballot).count() == 500
    tally = ballot_tally(ballot)
    assert tally.participating_heads == 500
    assert tally.yes_heads == 500


def test_votes_racing_the_close_are_all_counted_or_all_refused():
    compound, community, people, staff = owners_compound(200, with_users=False)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    yes = option_ids(ballot)["yes"]
    calls = [
        (
            lambda p=person: services.vote_cast(
                ballot_id=ballot.pk, voter=p, selection=[yes]
            )
        )
        for person in people
    ]
    calls.insert(100, lambda: services.ballot_close(ballot_id=ballot.pk, actor=staff))
    outcomes = _run_all(calls)
    accepted = sum(1 for code, value in outcomes if code == "ok" and value is not None)
    accepted -= 1  # the close itself returned "ok"
    refused = [code for code, _ in outcomes if code != "ok"]
    assert set(refused) <= {"wrong_state"}
    assert accepted + len(refused) == 200
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    late = Participation.objects.filter(ballot=ballot, created_at__gt=ballot.closed_at)
    assert not late.exists()
    reads = {
        repr(tally_as_dict(ballot, ballot_tally(ballot))["participation"])
        for _ in range(5)
    }
    assert len(reads) == 1
    assert ballot_tally(ballot).participating_heads == accepted
    assert connection.vendor == "postgresql"


def test_a_double_click_is_replayed_not_refused():
    from consultation.ballots.models import VoteConflict

    compound, community, people, staff = owners_compound(THREADS, with_users=False)
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    yes = option_ids(ballot)["yes"]
    calls = []
    for person in people:  # each voter's two identical requests, released together
        for _ in range(2):
            calls.append(
                lambda p=person: services.vote_cast(
                    ballot_id=ballot.pk,
                    voter=p,
                    selection=[yes],
                    idempotency_key=f"click-{p.pk}",
                )
            )
    outcomes = _run_all(calls)
    codes = [code for code, _ in outcomes]
    assert codes.count("ok") == 2 * THREADS, sorted(set(codes))
    replayed = [value.replayed for code, value in outcomes if code == "ok"]
    assert replayed.count(True) == THREADS
    assert not VoteConflict.objects.filter(ballot=ballot).exists()
    assert Participation.objects.filter(ballot=ballot).count() == THREADS


def test_a_failing_after_commit_hook_does_not_fail_the_recorded_vote(monkeypatch):
    compound, community, people, staff = owners_compound(2, with_users=False)
    ballot = owners_ballot(compound, community, staff, secrecy="secret")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)

    def broken(**kwargs):
        raise RuntimeError("mixing failed")

    from consultation.ballots.services import secrecy

    monkeypatch.setattr(secrecy, "secret_papers_mix", broken)
    yes = option_ids(ballot)["yes"]
    result = services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=[yes])
    assert result.receipt
    assert Participation.objects.filter(ballot=ballot).count() == 1


def test_close_waits_for_a_mix_in_progress(monkeypatch):
    """A close during a mix waits for it; both finish and every paper ends mixed."""
    import time

    from consultation.ballots.models import SecretPaper

    compound, community, people, staff = owners_compound(3, with_users=False)
    ballot = owners_ballot(compound, community, staff, secrecy="secret")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    yes = option_ids(ballot)["yes"]
    for person in people:
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[yes])
    from consultation.ballots.services import secrecy

    real_mix = secrecy.mix_papers

    def slow_mix(ballot, *, everything):
        time.sleep(0.5)  # holds the ballot's share lock meanwhile
        return real_mix(ballot, everything=True)

    monkeypatch.setattr(secrecy, "mix_papers", slow_mix)
    errors = []

    def mixer():
        try:
            services.secret_papers_mix(ballot_id=ballot.pk)
        except Exception as error:  # the test reports any failure below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=mixer)
    thread.start()
    time.sleep(0.1)
    monkeypatch.setattr(secrecy, "mix_papers", real_mix)
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    thread.join(timeout=10)
    assert errors == []
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    assert SecretPaper.objects.filter(ballot=ballot, mixed=True).count() == 3
