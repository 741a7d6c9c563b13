"""Each ballot page's own version, for the visitors' kept copies of it.

The visitors' page cache (yishi/visitor_cache.py) keys pages by the register's
version, which a ballot does not move. A ballot page may be kept for visitors only
if every change to what they see on it makes the copy stale: so the ballot page adds
this version to the key (`cached_for_visitors(version=visitor_version)`), and the
services forget it (`ballot_page_changed`) whenever something the page shows changes
outside the votes: the ballot is created, its notice recorded, it opens, closes, or
its tally or official result is published. Votes do not: an open ballot's page (its
turnout moves with every vote) is never kept (`views.ballot_detail` marks it
private), and no vote is taken once a ballot has closed.

A forgotten version is replaced by a random one, never by an earlier value, so a
copy kept before a change is never reached again. It is forgotten when the change
is saved and again when its transaction commits: a page rendered between the two
from what was read before the commit is kept under a version already gone.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

KEY = "ballot-page:version:{}"
TIMEOUT = 24 * 3600  # seconds; a lost version only costs each page one rendering


def page_version(ballot_id: int) -> str:
    key = KEY.format(ballot_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=TIMEOUT)
        value = cache.get(key) or uuid.uuid4().hex  # gone again: keep nothing
    return value


def visitor_version(request, ballot_id: int) -> str:
    """For `yishi.visitor_cache.cached_for_visitors`: the ballot page's version."""
    return page_version(ballot_id)


def _forget(ballot_id: int) -> None:
    cache.delete(KEY.format(ballot_id))


def ballot_page_changed(ballot_id: int) -> None:
    """Make the visitors' copies of this ballot's page stale, now and at commit."""
    _forget(ballot_id)
    transaction.on_commit(lambda: _forget(ballot_id), robust=True)
