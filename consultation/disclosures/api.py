"""The published disclosures as JSON (docs/api.md), with the chain's hashes so that
anyone can verify a downloaded copy offline (docs/verify_chain.py).

`chain_json` pages through one community's chain in seq order; `entry_json` is one
entry with its objections (pseudonymised: no name of any resident). The content of a
redacted entry is withheld (`"content": null, "withheld": "redacted"`): its hashes
stay, so the chain still verifies around it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from .dates import local_day
from .domain.content import iso_time
from .domain.lifecycle import pseudonym, reply_state
from .models import ChainHead, DisclosureEntry

FORMAT = "yishi-disclosure-chain/1"
MAX_LIMIT = 1000


def _redacted_subquery():
    return Exists(
        DisclosureEntry.objects.filter(
            corrects=OuterRef("pk"),
            change=DisclosureEntry.Change.REDACTION,
            state="published",
        )
    )


def _record(entry: DisclosureEntry, redacted: bool) -> dict:
    return {
        "seq": entry.seq,
        "id": entry.pk,
        "prev_hash": entry.prev_hash,
        "content_hash": entry.content_hash,
        "entry_hash": entry.entry_hash,
        "content": None if redacted else entry.content(),
        "withheld": "redacted" if redacted else None,
    }


def chain_json(community, *, after: int = 0, limit: int = 500) -> dict:
    limit = max(1, min(limit, MAX_LIMIT))
    entries = list(
        DisclosureEntry.objects.filter(community=community, seq__gt=after)
        .select_related("corrects")
        .annotate(redacted=_redacted_subquery())
        .order_by("seq")[: limit + 1]
    )
    more = len(entries) > limit
    entries = entries[:limit]
    head = ChainHead.objects.filter(community=community).first()
    return {
        "format": FORMAT,
        "community": {"code": community.code, "name": community.name},
        "head": {
            "seq": head.seq if head else 0,
            "entry_hash": head.entry_hash if head else "",
        },
        "entries": [_record(e, e.redacted) for e in entries],
        "next_after": entries[-1].seq if more else None,
    }


def entry_json(entry: DisclosureEntry) -> dict:
    redacted = entry.corrections.filter(
        change=DisclosureEntry.Change.REDACTION, state="published"
    ).exists()
    today = local_day()
    data = _record(entry, redacted)
    data["community"] = {"code": entry.community.code, "name": entry.community.name}
    data["objections"] = [
        {
            "by": pseudonym(o.pseudonym_index),
            "text": None if redacted else o.text,
            "filed_at": iso_time(o.filed_at),
            "reply_due": o.reply_due.isoformat(),
            "reply": None if redacted else (o.reply or None),
            "replied_at": iso_time(o.replied_at) if o.replied_at else None,
            "state": str(
                reply_state(
                    due=o.reply_due,
                    replied_on=local_day(o.replied_at) if o.replied_at else None,
                    today=today,
                )
            ),
        }
        for o in entry.objections.order_by("filed_at", "pk")
    ]
    return data
