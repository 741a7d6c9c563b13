"""What the register's community page lists from the disclosure board: its latest
published entries (a hook the page calls; the register imports nothing of this
capability). Publishing an entry makes the register pages' cached content stale
(`neighbourhoods.register_cache.register_changed`, in the publishing service)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from wagtail import hooks

from . import selectors

PAGE_LIMIT = 5


@hooks.register("yishi_community_disclosures")
def community_disclosures(community_id: int) -> list[dict]:
    latest = selectors.latest_on_board(community_id, limit=PAGE_LIMIT)
    return [
        {
            "title": entry.public_title,
            "url": reverse("disclosures:entry", kwargs={"entry_id": entry.pk}),
            "state": (
                f"{entry.get_kind_display()} · "
                f"{formats.date_format(entry.display_from, 'Y-m-d')}"
            ),
        }
        for entry in latest
    ]
