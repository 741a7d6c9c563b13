"""Ballot broadcasts: built once, coalesced to a few per second, final state last."""

import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from consultation.ballots import events, services
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db(transaction=True)


def _drain(layer, channel):
    messages = []

    async def receive_all():
        import asyncio

        while True:
            try:
                messages.append(
                    await asyncio.wait_for(layer.receive(channel), timeout=0.6)
                )
            except TimeoutError:
                return

    async_to_sync(receive_all)()
    return messages


def test_a_burst_of_votes_is_coalesced_and_ends_with_the_final_tally(settings):
    settings.YISHI_BALLOT_BROADCAST = "coalesce"
    compound, community, people, staff = owners_compound(40, with_users=False)
    ballot = owners_ballot(
        compound, community, staff, results_visibility="live", rule_id=""
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    cache.delete(events._claim_key(ballot.pk))
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(events.ballot_group(ballot.pk), channel)
    yes = option_ids(ballot)["yes"]
    started = time.monotonic()
    for person in people:  # each vote commits and announces
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[yes])
        time.sleep(0.02)
    time.sleep(events.COALESCE_SECONDS * 2)
    elapsed = time.monotonic() - started
    messages = _drain(layer, channel)
    # 40 changes: at most one broadcast per coalescing window, never one per vote.
    assert 1 <= len(messages) <= elapsed / events.COALESCE_SECONDS + 2
    assert len(messages) <= 40 // 2
    heads = [m["full"]["participation"]["heads"] for m in messages]
    assert heads == sorted(heads)
    final = messages[-1]
    assert final["type"] == "ballot.tally"
    assert final["full"]["participation"]["heads"] == 40
    assert final["public"]["participation"]["heads"] == 40


def test_changes_while_this_process_holds_the_claim_do_not_ask_the_cache(
    settings, monkeypatch
):
    settings.YISHI_BALLOT_BROADCAST = "coalesce"
    compound, community, people, staff = owners_compound(3, with_users=False)
    ballot = owners_ballot(
        compound, community, staff, results_visibility="live", rule_id=""
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    time.sleep(events.COALESCE_SECONDS * 2)  # the opening's broadcast has gone
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(events.ballot_group(ballot.pk), channel)
    claims = []
    add = cache.add

    def counting_add(key, *args, **kwargs):
        claims.append(key)
        return add(key, *args, **kwargs)

    monkeypatch.setattr(events.cache, "add", counting_add)
    # A window long enough for three votes on a slow machine.
    monkeypatch.setattr(events, "COALESCE_SECONDS", 1.5)
    yes = option_ids(ballot)["yes"]
    for person in people:  # three votes inside one window
        services.vote_cast(ballot_id=ballot.pk, voter=person, selection=[yes])
    assert claims == [events._claim_key(ballot.pk)]
    time.sleep(events.COALESCE_SECONDS * 2)
    messages = _drain(layer, channel)
    assert [m["full"]["participation"]["heads"] for m in messages] == [3]
    # The window is over: the next change claims again.
    events.ballot_changed(ballot.pk)
    assert len(claims) == 2
    time.sleep(events.COALESCE_SECONDS * 2)
