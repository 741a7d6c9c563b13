"""Ballot broadcasts: built once, coalesced to a few per second, final state last.

The votes run as in a request worker (they only schedule); the delivering task runs
on this test's event loop as in a websocket process (yishi.fanout).
"""

import asyncio

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.db import connections

from consultation.ballots import events, services
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from yishi import fanout, livehub

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(autouse=True)
async def coalescing(settings):
    settings.YISHI_BROADCAST = "coalesce"
    yield
    await sync_to_async(connections.close_all)()


async def _listen(group: str) -> asyncio.Queue:
    """What this process's hub hands a connection of `group`."""
    heard: asyncio.Queue = asyncio.Queue()

    async def deliver(message):
        heard.put_nowait(message)

    await livehub.join(group, heard, deliver)
    return heard


async def _drain(group, heard, quiet: float = 0.8) -> list[dict]:
    messages = []
    while True:
        try:
            messages.append(await asyncio.wait_for(heard.get(), quiet))
        except TimeoutError:
            await livehub.leave(group, heard)
            return messages


@sync_to_async
def _live_ballot(voters: int):
    compound, community, people, staff = owners_compound(voters, with_users=False)
    ballot = owners_ballot(
        compound, community, staff, results_visibility="live", rule_id=""
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, option_ids(ballot)["yes"]


async def test_a_burst_of_votes_is_coalesced_and_ends_with_the_final_tally():
    ballot, people, yes = await _live_ballot(40)
    group = events.ballot_group(ballot.pk)
    heard = await _listen(group)
    fanout.ensure_delivering()
    started = asyncio.get_running_loop().time()
    for person in people:  # each vote commits and schedules
        await sync_to_async(services.vote_cast)(
            ballot_id=ballot.pk, voter=person, selection=[yes]
        )
        await asyncio.sleep(0.02)
    messages = await _drain(group, heard)
    elapsed = asyncio.get_running_loop().time() - started
    # 40 changes: at most one broadcast per coalescing window, never one per vote.
    assert 1 <= len(messages) <= elapsed / fanout.COALESCE_SECONDS + 2
    assert len(messages) <= 40 // 2
    heads = [m["full"]["participation"]["heads"] for m in messages]
    assert heads == sorted(heads)
    final = messages[-1]
    assert final["type"] == "ballot.tally"
    assert final["full"]["participation"]["heads"] == 40
    assert final["public"]["participation"]["heads"] == 40


async def test_changes_within_a_window_are_one_broadcast_built_once(monkeypatch):
    ballot, people, yes = await _live_ballot(3)
    fanout.ensure_delivering()
    await asyncio.sleep(fanout.COALESCE_SECONDS * 3)  # the opening's broadcast went
    group = events.ballot_group(ballot.pk)
    heard = await _listen(group)
    built = []
    real = events.ballot_payloads

    def counting(ballot_id):
        built.append(ballot_id)
        return real(ballot_id)

    monkeypatch.setattr(events, "ballot_payloads", counting)
    monkeypatch.setattr(fanout, "COALESCE_SECONDS", 1.5)  # room for three votes

    @sync_to_async
    def three_votes():
        for person in people:
            services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[yes])

    await three_votes()
    messages = await _drain(group, heard, quiet=2.5)
    assert [m["full"]["participation"]["heads"] for m in messages] == [3]
    assert built == [ballot.pk]


async def test_scheduling_starts_no_thread_and_a_deleted_ballot_sends_nothing():
    import threading

    ballot, _people, _yes = await _live_ballot(1)
    before = threading.active_count()
    for _ in range(20):
        await sync_to_async(events.ballot_tally_schedule)(ballot.pk)
    assert threading.active_count() <= before + 1  # asgiref's own worker at most
    assert await sync_to_async(events.ballot_broadcast)("999999") is None
