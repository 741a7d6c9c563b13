"""What a matter's disclosure step publishes: the payload the disclosure board's
`disclosure_publish` takes at merge (the board links its source generically, by
kind and id, never by a foreign key to these models)."""

from __future__ import annotations

from ..selectors import matter_page
from .errors import not_found


def matter_step_disclosure_payload(matter_id: int) -> dict:
    """Title, the body text of the notice (every step record so far, in plain
    Chinese) and the ids of the records it comes from."""
    page = matter_page(matter_id)
    if page is None:
        raise not_found()
    matter = page["matter"]
    lines = [matter.description] if matter.description else []
    source_ids = {"matter": matter.pk, "meetings": [], "steps": []}
    for row in page["timeline"]:
        lines.append(row["summary"])
        source_ids["steps"].append(row["id"])
        if row["meeting"] is not None:
            source_ids["meetings"].append(row["meeting"].pk)
    return {
        "source_kind": "matter",
        "source_id": matter.pk,
        "title": matter.title,
        "body": "\n".join(lines),
        "source_ids": source_ids,
    }
