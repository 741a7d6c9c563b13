"""A matter's two disclosure steps, joined to the disclosure board.

"Resolution disclosed" (决议公开) and "result disclosed" (实施结果公开) are each a
published entry of the community's disclosure board whose source is the matter — a
decision entry for the resolution, an implementation-result entry for the result.

- `matter_disclose`: staff, when the matter waits for one of those steps, draft the
  entry from `matter_step_disclosure_payload` and submit it to the supervisory
  committee in one action (409 at any other step, or while one is already under
  way; nothing written).
- `on_entry_published`: registered into `consultation.disclosures.hooks` when the
  apps are ready; when such an entry is published, the step is recorded on the
  matter inside the same transaction.

The import runs records → disclosures only; the board never imports records.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from consultation.disclosures import services as disclosure_services
from consultation.disclosures.models import DisclosureEntry
from yishi.audit import audit_record

from .. import permissions
from ..domain.procedure import Outcome, RecordStep, Status, Step
from ..models import Matter
from ..selectors import matter_page
from .errors import RecordsConflict, RecordsError, forbidden, not_found
from .matters import apply_to_matter, locked_matter

Kind = DisclosureEntry.Kind
#: The disclosure step each kind of entry stands for.
STEP_OF_KIND = {
    Kind.DECISION: Step.RESOLUTION_DISCLOSED,
    Kind.IMPLEMENTATION: Step.RESULT_DISCLOSED,
}
KIND_OF_STEP = {step: kind for kind, step in STEP_OF_KIND.items()}
DISCLOSURE_STEPS = frozenset(KIND_OF_STEP)
TITLE_PREFIX = {
    Step.RESOLUTION_DISCLOSED: "决议公开：",
    Step.RESULT_DISCLOSED: "实施结果公开：",
}


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


def _awaited_disclosure(matter) -> Step:
    awaiting = Step(matter.awaiting_step) if matter.awaiting_step else None
    if (
        not matter.follows_procedure
        or matter.status != Status.IN_PROGRESS
        or awaiting not in DISCLOSURE_STEPS
    ):
        raise RecordsConflict(
            _(
                "事项尚未到公开这一步（须先记录居民会议或居民代表会议的决议，"
                "或组织实施）。 The matter is not at a disclosure step yet."
            ),
            code="not_at_disclosure",
        )
    return awaiting


def _pending_entry(matter, kind: str) -> DisclosureEntry | None:
    return (
        DisclosureEntry.objects.filter(
            source_kind=DisclosureEntry.Source.MATTER,
            source_id=matter.pk,
            kind=kind,
            change=DisclosureEntry.Change.ORIGINAL,
        )
        .exclude(state=DisclosureEntry.State.PUBLISHED)
        .first()
    )


@transaction.atomic
def matter_disclose(*, matter_id: int, actor, now=None) -> DisclosureEntry:
    """Draft the entry of the awaited disclosure step and submit it for review."""
    matter = locked_matter(matter_id)
    if not permissions.can_manage_matters(actor, matter.community):
        raise forbidden()
    step = _awaited_disclosure(matter)
    kind = KIND_OF_STEP[step]
    if _pending_entry(matter, kind) is not None:
        raise RecordsConflict(
            _(
                "这一步的公开已在审核或修改中，请在公开栏处理。"
                " This disclosure is already under way on the board."
            ),
            code="disclosure_pending",
        )
    payload = matter_step_disclosure_payload(matter.pk)
    title = (TITLE_PREFIX[step] + payload["title"])[:200]
    try:
        entry = disclosure_services.disclosure_draft(
            community=matter.community,
            actor=actor,
            kind=kind,
            title=title,
            text=payload["body"] or payload["title"],
            compound=matter.compound,
            source=(DisclosureEntry.Source.MATTER, matter.pk, matter.title),
        )
        entry = disclosure_services.disclosure_submit(
            entry_id=entry.pk, actor=actor, now=now
        )
    except disclosure_services.DisclosureError as error:
        raise RecordsError(
            error.message, code=error.code, status=error.status
        ) from None
    audit_record(
        actor=actor,
        action="matter_disclose",
        target=matter,
        community_id=matter.community_id,
        detail={"step": step.value, "entry": entry.pk},
    )
    return entry


def on_entry_published(entry: DisclosureEntry, *, actor, now) -> None:
    """The publish hook: record the matter's disclosure step the entry stands for.
    An entry the matter does not wait for (a correction, a second notice) records
    nothing — it is still on the board."""
    step = STEP_OF_KIND.get(entry.kind)
    if (
        entry.source_kind != DisclosureEntry.Source.MATTER
        or entry.source_id is None
        or entry.change != DisclosureEntry.Change.ORIGINAL
        or step is None
    ):
        return
    matter = Matter.objects.select_for_update().filter(pk=entry.source_id).first()
    if matter is None or matter.status != Status.IN_PROGRESS:
        return
    if matter.awaiting_step != step:
        return
    # Stored on the timeline as written (a record, not a translated label).
    until = entry.display_until.isoformat()
    text = f"已在居务公开栏公开（第 {entry.seq} 条，公示至 {until}）：{entry.title}"
    line = apply_to_matter(matter, RecordStep(step, Outcome.DONE), actor, text=text)
    audit_record(
        actor=actor,
        action="matter_step_record",
        target=matter,
        community_id=matter.community_id,
        detail={"line": line.pk, "step": step.value, "entry": entry.pk},
    )
