"""1,000 random edits, deletions and reorderings made by raw SQL, the database guard
bypassed inside the test: each is found at the exact entry, with the right reason.

One chain is built once; every mutation is made in a savepoint, verified and rolled
back. Runs on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

import random
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from consultation.disclosures import selectors
from consultation.disclosures.chain_guard import flush_allowed
from consultation.disclosures.domain.chain import Break
from consultation.disclosures.models import DisclosureEntry
from tests.consultation.disclosures.factories import board_setup, publish_quick

pytestmark = pytest.mark.django_db
CHAIN_LENGTH = 30
MUTATIONS = 1000
TABLE = DisclosureEntry._meta.db_table


@contextmanager
def guard_bypassed():
    """What an intruder with database rights does: switch the triggers off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET LOCAL session_replication_role = replica")
        yield
    else:
        with flush_allowed(connection):
            yield


def _sql(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)


def _edit(column, expr):
    def mutate(community_id, k, n, rng):
        _sql(
            f"UPDATE {TABLE} SET {column} = {expr}"
            " WHERE community_id = %s AND seq = %s",
            [community_id, k],
        )
        return k

    return mutate


def _delete(community_id, k, n, rng):
    _sql(f"DELETE FROM {TABLE} WHERE community_id = %s AND seq = %s", [community_id, k])
    return k


def _swap(community_id, k, n, rng):
    j = rng.choice([s for s in range(1, n + 1) if s != k])
    parking = 10**6
    for old, new in ((k, parking), (j, k), (parking, j)):
        _sql(
            f"UPDATE {TABLE} SET seq = %s WHERE community_id = %s AND seq = %s",
            [new, community_id, old],
        )
    return min(k, j)


HEX = "'" + "ab" * 32 + "'"
MUTATORS = [
    (_edit("title", "title || '改'"), Break.CONTENT_CHANGED),
    (_edit("text", "'篡改后的正文'"), Break.CONTENT_CHANGED),
    (_edit("display_days", "display_days + 1"), Break.CONTENT_CHANGED),
    (_edit("publisher", "'别的单位'"), Break.CONTENT_CHANGED),
    (_edit("content_hash", HEX), Break.CONTENT_CHANGED),
    (_edit("prev_hash", HEX), Break.LINK_BROKEN),
    (_edit("entry_hash", HEX), Break.LINK_BROKEN),
    (_delete, Break.ENTRY_MISSING),
    (_swap, Break.ORDER_CHANGED),
]


def test_every_random_mutation_is_found_at_its_entry():
    board = board_setup()
    publish_quick(board.community, CHAIN_LENGTH)
    cid = board.community.pk
    assert selectors.chain_verdict(cid).ok
    rng = random.Random(20261102)
    found = {reason: 0 for _, reason in MUTATORS}
    with guard_bypassed():
        for i in range(MUTATIONS):
            mutate, reason = rng.choice(MUTATORS)
            k = rng.randint(1, CHAIN_LENGTH)
            savepoint = transaction.savepoint()
            expected_seq = mutate(cid, k, CHAIN_LENGTH, rng)
            verdict = selectors.chain_verdict(cid)
            transaction.savepoint_rollback(savepoint)
            assert (verdict.broken_seq, verdict.reason) == (expected_seq, reason), (
                i,
                mutate,
                k,
                verdict,
            )
            found[reason] += 1
    assert selectors.chain_verdict(cid).ok
    assert all(found.values()), found
