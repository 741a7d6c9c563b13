"""Secret ballots: after close, nothing in the database links a voter to a choice.

Each test plays the attacker with the tools a database reader has: foreign keys and
shared ids, insertion order (rowid / ctid), the writing transaction (xmin), timestamps.
"""

import json
import random

import pytest
from django.db import connection

from consultation.ballots import services
from consultation.ballots.models import Ballot, Participation, SecretPaper
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

VOTERS = 200


@pytest.fixture
def closed_secret_ballot(db):
    compound, community, people, staff = owners_compound(VOTERS, with_users=False)
    ballot = owners_ballot(
        compound,
        community,
        staff,
        secrecy=Ballot.Secrecy.SECRET,
        kind="single",
        options=[f"方案{i}" for i in range(1, 9)],
        rule_id="",
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = list(option_ids(ballot).values())
    rng = random.Random(7)
    truth = {}
    for person in people:
        choice = rng.choice(ids)
        truth[person.pk] = choice
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[choice])
        # Mixing runs after each commit in production; the test transaction never
        # commits, so run it by hand as on_commit would.
        services.secret_papers_mix(ballot_id=ballot.pk)
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    return ballot, truth


def test_paper_has_no_field_that_points_at_a_voter():
    names = {f.name for f in SecretPaper._meta.get_fields()}
    assert names == {
        "id",
        "ballot",
        "selection",
        "heads",
        "area",
        "receipt_hash",
        "mixed",
    }
    assert SecretPaper._meta.pk.get_internal_type() == "UUIDField"
    assert not any(
        f.get_internal_type() in ("DateTimeField", "DateField")
        for f in SecretPaper._meta.fields
    )


def test_papers_carry_no_area_or_weight_that_could_name_a_voter(closed_secret_ballot):
    ballot, _ = closed_secret_ballot
    weights = set(
        SecretPaper.objects.filter(ballot=ballot).values_list("heads", "area")
    )
    assert weights == {(1, 0)}


def test_a_secret_ballot_cannot_be_weighted_by_area_or_show_live_results(db):
    compound, community, _, staff = owners_compound(2, with_users=False)
    for extra in (
        {"weighted_by_area": True},
        {"results_visibility": "live"},
    ):
        with pytest.raises(services.BallotError) as refused:
            owners_ballot(
                compound, community, staff, secrecy=Ballot.Secrecy.SECRET, **extra
            )
        assert refused.value.status == 422


def test_repeated_idempotency_key_keeps_nothing_about_the_choice(db):
    from django.core.cache import cache

    compound, community, people, staff = owners_compound(2, with_users=False)
    ballot = owners_ballot(compound, community, staff, secrecy=Ballot.Secrecy.SECRET)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    cache.clear()
    first = services.vote_cast(
        ballot_id=ballot.pk, voter=people[0], selection=[ids["no"]], idempotency_key="k"
    )
    again = services.vote_cast(
        ballot_id=ballot.pk, voter=people[0], selection=[ids["no"]], idempotency_key="k"
    )
    assert again.replayed
    assert again.receipt is None
    assert first.receipt
    participation = Participation.objects.get(ballot=ballot)
    assert participation.request_fingerprint == ""
    assert cache.get(f"yishi:idem:{ballot.pk}:k") is None


def test_ballot_box_papers_are_entered_apart_from_the_voters(db):
    compound, community, people, staff = owners_compound(3, with_users=False)
    ballot = owners_ballot(compound, community, staff, secrecy=Ballot.Secrecy.SECRET)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    with pytest.raises(services.BallotError) as refused:
        services.secret_paper_enter(
            ballot_id=ballot.pk, selection=[ids["yes"]], actor=staff
        )
    assert refused.value.code == "no_paper_owed"
    for i, person in enumerate(people[:2]):
        entry = ballot.roll.get(voter=person)
        result = services.paper_vote_enter(
            ballot_id=ballot.pk,
            entry_id=entry.pk,
            selection=None,
            sheet_number=f"S-{i}",
            witness="孙监票",
            actor=staff,
        )
        assert result.receipt is None
    assert not SecretPaper.objects.filter(ballot=ballot).exists()
    for choice in ("yes", "no"):
        services.secret_paper_enter(
            ballot_id=ballot.pk, selection=[ids[choice]], actor=staff
        )
    with pytest.raises(services.BallotError):
        services.secret_paper_enter(
            ballot_id=ballot.pk, selection=[ids["yes"]], actor=staff
        )
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    from consultation.ballots.selectors import ballot_tally

    tally = ballot_tally(ballot)
    assert (tally.yes_heads, tally.no_heads, tally.participating_heads) == (1, 1, 2)
    assert tally.by_channel == (("paper", 2, 0),)


def test_participations_hold_no_choice(closed_secret_ballot):
    ballot, _ = closed_secret_ballot
    rows = Participation.objects.filter(ballot=ballot)
    assert rows.count() == VOTERS
    assert not rows.exclude(selection=None).exists()
    assert not rows.exclude(request_fingerprint="").exists()


def test_every_paper_is_mixed_and_the_count_is_exact(closed_secret_ballot):
    ballot, truth = closed_secret_ballot
    papers = SecretPaper.objects.filter(ballot=ballot)
    assert papers.count() == VOTERS
    assert not papers.filter(mixed=False).exists()
    counted = sorted(
        p["options"][0] for p in papers.values_list("selection", flat=True)
    )
    assert counted == sorted(truth.values())


def _physical_order_sql() -> str:
    table = SecretPaper._meta.db_table
    if connection.vendor == "postgresql":
        return f'SELECT selection FROM "{table}" WHERE ballot_id = %s ORDER BY ctid'
    return f'SELECT selection FROM "{table}" WHERE ballot_id = %s ORDER BY rowid'


@pytest.mark.parametrize("order", ["physical", "primary_key"])
def test_storage_order_does_not_follow_voting_order(closed_secret_ballot, order):
    ballot, truth = closed_secret_ballot
    voting_order = [
        truth[pid]
        for pid in Participation.objects.filter(ballot=ballot)
        .order_by("created_at", "pk")
        .values_list("entry__voter_id", flat=True)
    ]
    if order == "physical":
        with connection.cursor() as cursor:
            cursor.execute(_physical_order_sql(), [ballot.pk])
            stored = [
                (json.loads(s) if isinstance(s, str) else s)["options"][0]
                for (s,) in cursor.fetchall()
            ]
    else:
        stored = [
            s["options"][0]
            for s in SecretPaper.objects.filter(ballot=ballot)
            .order_by("pk")
            .values_list("selection", flat=True)
        ]
    # An attacker guessing "the k-th stored paper is the k-th voter's" does no better
    # than chance (8 options: expect ~1/8 right; allow a wide margin).
    hits = sum(a == b for a, b in zip(voting_order, stored, strict=True))
    assert hits < VOTERS * 0.3


@pytest.mark.postgres
def test_writing_transaction_does_not_identify_a_paper(closed_secret_ballot):
    ballot, _ = closed_secret_ballot
    table = SecretPaper._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(DISTINCT xmin::text) FROM "{table}" WHERE ballot_id = %s',
            [ballot.pk],
        )
        (distinct_xmin,) = cursor.fetchone()
    # Every paper was rewritten by the closing transaction: one xmin for all.
    assert distinct_xmin == 1
