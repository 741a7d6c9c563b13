"""Secret ballots: after close, nothing in the database links a voter to a choice.

Each test plays the attacker with the tools a database reader has: foreign keys and
shared ids, insertion order (rowid / ctid), the writing transaction (xmin), timestamps.
"""

import json
import random

import pytest
from django.db import connection

from consultation import services
from consultation.models import Ballot, Participation, SecretPaper
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
        "channel",
        "receipt_hash",
        "mixed",
    }
    assert SecretPaper._meta.pk.get_internal_type() == "UUIDField"
    assert not any(
        f.get_internal_type() in ("DateTimeField", "DateField")
        for f in SecretPaper._meta.fields
    )


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
