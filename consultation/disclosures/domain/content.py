"""What a published disclosure's hash covers: the canonical content object.

Built from an entry's stored columns (the verifier rebuilds it the same way), in
the form docs/api.md documents field by field. Times are Asia/Shanghai ISO 8601 to
the second; dates ISO; attachments by hash. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from .chain import FORMAT_VERSION

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def iso_time(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def entry_content(f: Mapping) -> dict:
    """`f` maps the entry's content columns (models.CONTENT_COLUMNS) plus
    `corrects__seq` to their values."""
    source = None
    if f["source_kind"] and f["source_kind"] != "general":
        source = {
            "kind": f["source_kind"],
            "id": f["source_id"],
            "title": f["source_title"],
        }
    return {
        "v": FORMAT_VERSION,
        "community": f["community_code"],
        "compound": f["compound_name"] or None,
        "publisher": f["publisher"],
        "kind": f["kind"],
        "title": f["title"],
        "text": f["text"],
        "period": f["period"] or None,
        "source": source,
        "attachments": [dict(a) for a in f["attachments"] or []],
        "change": f["change"],
        "corrects": f["corrects__seq"],
        "published_at": iso_time(f["published_at"]) if f["published_at"] else None,
        "display_from": _day(f["display_from"]),
        "display_until": _day(f["display_until"]),
        "display_days": f["display_days"],
        "review": {"outcome": f["review_outcome"], "opinion": f["review_opinion"]},
    }
