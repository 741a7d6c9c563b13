"""The online vote's hot path: insert first, check only when a constraint refuses.

`vote_cast` inserts a first vote straight away (docs/benchmarks.md); a repeat, a
double-click or a reused key is refused by a unique constraint, the vote's
transaction rolls back, and the full checks then answer exactly as before. These
tests drive the JSON endpoint, the one the benchmark uses,
through every answer it can give, on SQLite and (in CI) PostgreSQL.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultation.ballots import services
from consultation.ballots.models import Participation, SecretPaper, VoteConflict
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db


def _post(client, ballot_id, selection, key):
    return client.post(
        f"/ballots/{ballot_id}/vote/",
        json.dumps({"selection": selection, "idempotency_key": key}),
        content_type="application/json",
    )


def test_every_answer_of_the_json_vote(client, open_ballot):
    ballot, people, _ = open_ballot
    ids = option_ids(ballot)
    client.force_login(people[0].user)

    first = _post(client, ballot.pk, [ids["yes"]], "key-1")
    assert first.status_code == 201, first.content
    assert first.json() == {"ok": True, "receipt": None, "replayed": False}

    replay = _post(client, ballot.pk, [ids["yes"]], "key-1")  # a double-click
    assert replay.status_code == 200
    assert replay.json()["replayed"] is True

    reused = _post(client, ballot.pk, [ids["no"]], "key-1")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"

    second = _post(client, ballot.pk, [ids["no"]], "key-2")
    assert second.status_code == 409
    assert second.json()["code"] == "already_voted"
    assert "已经投过票" in second.json()["error"]
    assert "already voted" in second.json()["error"]

    # One participation, the first; the refused repeat is kept for staff to see.
    assert list(
        Participation.objects.filter(ballot=ballot).values_list("selection", flat=True)
    ) == [{"options": [ids["yes"]]}]
    conflict = VoteConflict.objects.get(ballot=ballot)
    assert (conflict.first_channel, conflict.channel) == ("online", "online")


def test_refusals_write_nothing(client, open_ballot):
    ballot, people, staff = open_ballot
    ids = option_ids(ballot)
    client.force_login(people[1].user)

    missing = _post(client, 999_999, [ids["yes"]], "k")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert "没有这项投票" in missing.json()["error"]

    other = owners_ballot(ballot.compound, ballot.community, staff)
    services.ballot_open(ballot_id=other.pk, actor=staff)
    # Each open ballot's options are cached in this process once a vote reads
    # them: neither ballot takes the other's options for its own.
    assert _post(client, ballot.pk, [option_ids(other)["yes"]], "k").status_code == 400
    assert _post(client, other.pk, [ids["yes"]], "k").status_code == 400
    assert _post(client, ballot.pk, [ids["yes"], ids["no"]], "k").status_code == 422
    assert _post(client, ballot.pk, [], "k").status_code == 422
    assert not Participation.objects.exists()
    assert not VoteConflict.objects.exists()

    draft = owners_ballot(ballot.compound, ballot.community, staff)
    assert _post(client, draft.pk, [option_ids(draft)["yes"]], "k").status_code == 409

    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    closed = _post(client, ballot.pk, [ids["yes"]], "k")
    assert closed.status_code == 409
    assert closed.json()["code"] == "wrong_state"
    assert not Participation.objects.exists()


def test_a_voter_on_no_roll_is_refused_with_403(client, open_ballot):
    ballot, _, _ = open_ballot
    _, _, strangers, _ = owners_compound(1)  # an owner in another compound
    client.force_login(strangers[0].user)
    refused = _post(client, ballot.pk, [option_ids(ballot)["yes"]], "k")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_on_roll"
    assert not Participation.objects.exists()


def test_secret_ballot_votes_take_the_same_path(client):
    compound, community, people, staff = owners_compound(2)
    ballot = owners_ballot(compound, community, staff, secrecy="secret")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    client.force_login(people[0].user)

    first = _post(client, ballot.pk, [ids["no"]], "s-1")
    assert first.status_code == 201
    receipt = first.json()["receipt"]
    assert receipt
    assert len(receipt) == 14
    replay = _post(client, ballot.pk, [ids["yes"]], "s-1")
    assert replay.status_code == 200  # nothing of the choice is kept to compare
    assert replay.json()["receipt"] is None
    assert _post(client, ballot.pk, [ids["yes"]], "s-2").status_code == 409

    participation = Participation.objects.get(ballot=ballot)
    assert participation.selection is None
    assert participation.request_fingerprint == ""
    assert list(SecretPaper.objects.values_list("selection", flat=True)) == [
        {"options": [ids["no"]]}
    ]


def test_a_first_vote_takes_few_queries(client, open_ballot):
    """The hot path: no look-up of an earlier vote or key, options read once.

    Counted: the user with their resident record, the session where it is not in
    the cache, the ballot locked, the voter's roll entry, and the INSERT. The full
    path took nine.
    """
    ballot, people, _ = open_ballot
    ids = option_ids(ballot)
    client.force_login(people[0].user)
    assert _post(client, ballot.pk, [ids["yes"]], "warm").status_code == 201
    client.force_login(people[1].user)
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, ballot.pk, [ids["no"]], "q-1").status_code == 201
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN"))
    ]
    from django.conf import settings

    session_reads = 0 if settings.SESSION_ENGINE == "yishi.sessions" else 1
    lock_reads = 2
    assert len(statements) == 1 + session_reads + lock_reads + 1, statements
    assert not any("idempotency_key" in sql and "SELECT" in sql for sql in statements)


def test_a_secret_ballot_key_of_another_voter_is_no_replay(client):
    """Secret ballots answer a repeated key as a replay whatever its body, but only
    for the voter who used it: anyone else's vote with it would be lost."""
    compound, community, people, staff = owners_compound(2)
    ballot = owners_ballot(compound, community, staff, secrecy="secret")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    client.force_login(people[0].user)
    assert _post(client, ballot.pk, [ids["yes"]], "shared").status_code == 201
    client.force_login(people[1].user)
    reused = _post(client, ballot.pk, [ids["no"]], "shared")
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert _post(client, ballot.pk, [ids["no"]], "own").status_code == 201
    assert SecretPaper.objects.filter(ballot=ballot).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_vote_that_waited_for_the_opening_sees_the_roll(monkeypatch):
    """The vote's one locking query waits for `ballot_open`'s row lock and then sees
    the ballot open, but its join read the roll from before the opening wrote it:
    the roll is read again before anyone is told they are not on it."""
    import threading
    import time

    from django.db import connection as main_connection

    compound, community, people, staff = owners_compound(2)
    ballot = owners_ballot(compound, community, staff)
    yes = option_ids(ballot)["yes"]
    holding = threading.Event()
    from consultation.ballots.services import lifecycle

    announce = lifecycle.announce

    def slow_announce(ballot_id):
        if not holding.is_set():  # the opening: roll written, lock still held
            holding.set()
            time.sleep(1.0)
        announce(ballot_id)

    monkeypatch.setattr(lifecycle, "announce", slow_announce)

    def open_it():
        from django.db import connection

        try:
            services.ballot_open(ballot_id=ballot.pk, actor=staff)
        finally:
            connection.close()

    opener = threading.Thread(target=open_it)
    opener.start()
    assert holding.wait(10)
    result = services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=[yes])
    opener.join(10)
    assert result.participation_id
    assert Participation.objects.filter(ballot=ballot).count() == 1
    main_connection.close()
