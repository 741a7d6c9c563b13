"""Channel-layer group names and ballot payloads: built once per event, coalesced.

A vote announces `ballot_changed(ballot_id)` after it commits. At most one broadcast
per ballot is scheduled per COALESCE_SECONDS: the first change in a window claims it
(an atomic cache `add`), later changes in the window ride along, because the broadcast
reads the tally only when it fires and releases the claim before reading. The final
state is always sent. Two payloads are built once per broadcast: the full tally, and a
public one (just participation) for viewers who may not see a hidden tally yet.

A process that holds the claim for a ballot knows it: further changes it makes in
that window ride along without asking the cache again (its own timer reads the tally
after they committed).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 0.25

# ballot id → until when (time.monotonic()) this process's own timer is pending. The
# deadline only guards against a timer that never ran: the timer itself clears it.
_pending_here: dict[int, float] = {}
_pending_lock = threading.Lock()


def ballot_group(ballot_id: int) -> str:
    return f"ballot.{ballot_id}"


def _claim_key(ballot_id: int) -> str:
    return f"yishi:ballot-broadcast:{ballot_id}"


def ballot_changed(ballot_id: int) -> None:
    """Schedule one broadcast for this ballot unless one is already pending.

    settings.YISHI_BALLOT_BROADCAST: "coalesce" (default), "inline" (send now, for
    tests that follow one message) or "off" (tests that do not listen).
    """
    mode = getattr(settings, "YISHI_BALLOT_BROADCAST", "coalesce")
    if mode == "off":
        return
    if mode == "inline":
        _send(ballot_id)
        return
    if _pending_here.get(ballot_id, 0.0) > time.monotonic():
        return  # our timer has not read the tally yet: it will see this change
    token = uuid.uuid4().hex
    if cache.add(_claim_key(ballot_id), token, timeout=5):
        with _pending_lock:
            _pending_here[ballot_id] = time.monotonic() + COALESCE_SECONDS + 1
        timer = threading.Timer(COALESCE_SECONDS, _broadcast, args=(ballot_id, token))
        timer.daemon = True
        timer.start()


def ballot_payloads(ballot_id: int) -> dict:
    """The message for the group: full and public variants, built once."""
    from .models import Ballot
    from .selectors import ballot_tally, tally_as_dict

    ballot = Ballot.objects.get(pk=ballot_id)
    full = tally_as_dict(ballot, ballot_tally(ballot))
    public = {
        "ballot": ballot.pk,
        "status": ballot.status,
        "participation": full["participation"],
        "roll": full["roll"],
    }
    return {
        "type": "ballot.tally",
        "ballot": ballot.pk,
        "hidden": ballot.results_visibility == "after_close"
        and ballot.status == "open",
        "full": full,
        "public": public,
    }


def _send(ballot_id: int) -> None:
    message = ballot_payloads(ballot_id)
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(ballot_group(ballot_id), message)


def _broadcast(ballot_id: int, token: str) -> None:
    """Timer thread: release its own claim, then read and send the latest tally.

    Only the claim this timer made is released: a late timer whose claim expired must
    not free another window's claim, or two chains of broadcasts would run at once.
    """
    with _pending_lock:  # first: a change from now on claims (or rides) anew
        _pending_here.pop(ballot_id, None)
    key = _claim_key(ballot_id)
    if cache.get(key) == token:
        cache.delete(key)
    close_old_connections()
    try:
        _send(ballot_id)
    except Exception:  # voting must not depend on a broadcast; clients resync
        logger.exception("broadcast of ballot %s failed", ballot_id)
    finally:
        close_old_connections()
