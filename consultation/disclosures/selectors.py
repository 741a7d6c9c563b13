"""Reads of the disclosure board, each shaped for one page or one document.

The board answers in a constant number of queries however long the chain (a
count and a page, with the objections' counts annotated); the verifier reads a
chain in one query of plain values. Time-driven state (displayed or archived,
replies overdue, periodic disclosures due or late) is computed here on read from
today's date, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Min, OuterRef, Q

from neighbourhoods.models import Community

from .dates import days_after, local_day
from .domain import chain
from .domain.content import entry_content
from .domain.lifecycle import ReplyState, phase, pseudonym, reply_state
from .domain.schedule import Cadence, schedule
from .models import (
    CONTENT_COLUMNS,
    ChainHead,
    DisclosureEntry,
    DisclosureFile,
    Objection,
)
from .services.settings import disclosure_settings_of

PAGE_SIZE = 20
Kind = DisclosureEntry.Kind


def community_or_none(slug: str) -> Community | None:
    return Community.objects.filter(slug=slug).first()


def entry_or_none(entry_id: int) -> DisclosureEntry | None:
    return (
        DisclosureEntry.objects.select_related("community", "compound", "corrects")
        .filter(pk=entry_id)
        .first()
    )


def _redacted(outer: str = "pk"):
    return Exists(
        DisclosureEntry.objects.filter(
            corrects=OuterRef(outer),
            change=DisclosureEntry.Change.REDACTION,
            state="published",
        )
    )


def board_queryset(community: Community):
    """Published entries on a community's board: its own chain, and compound
    entries of any compound that touches it (published in a neighbour's chain)."""
    compound_ids = list(community.compounds.values_list("pk", flat=True))
    return DisclosureEntry.objects.filter(
        Q(community=community) | Q(compound_id__in=compound_ids), state="published"
    )


def latest_on_board(community_id: int, *, limit: int) -> list[DisclosureEntry]:
    """The latest published entries on a community's board (as `board_queryset`
    selects them), in one query, for the community's Wagtail page."""
    on_board = Q(community_id=community_id) | Q(compound__communities=community_id)
    return list(
        DisclosureEntry.objects.filter(on_board, state="published")
        .distinct()
        .annotate(redacted=_redacted())
        .order_by("-published_at", "-pk")[:limit]
    )


def board_page(
    community: Community, *, page: str | int = 1, kind: str = "", today=None
):
    """One page of the board in four queries whatever its length: the community's
    compounds, the count, the page's ids (by the board index), and those rows with
    their objections counted."""
    today = today or local_day()
    entries = board_queryset(community)
    if kind in Kind.values:
        entries = entries.filter(kind=kind)
    ordered = entries.order_by("-published_at", "-pk").values_list("pk", flat=True)
    paginated = Paginator(ordered, PAGE_SIZE).get_page(page)
    ids = list(paginated.object_list)
    rows = (
        DisclosureEntry.objects.filter(pk__in=ids)
        .annotate(
            objection_count=Count("objections"),
            overdue_count=Count(
                "objections",
                filter=Q(
                    objections__replied_at__isnull=True, objections__reply_due__lt=today
                ),
            ),
            redacted=_redacted(),
        )
        .select_related("community")
        .in_bulk()
    )
    paginated.object_list = [rows[pk] for pk in ids]
    for entry in paginated.object_list:
        entry.phase = phase(
            display_from=entry.display_from,
            display_until=entry.display_until,
            today=today,
        )
    return paginated


@dataclass(frozen=True)
class ObjectionView:
    objection: Objection
    who: str
    state: ReplyState


def objections_of(entry: DisclosureEntry, *, today: date) -> list[ObjectionView]:
    found = entry.objections.select_related("person", "escalation").order_by(
        "filed_at", "pk"
    )
    return [
        ObjectionView(
            o,
            pseudonym(o.pseudonym_index),
            reply_state(
                due=o.reply_due,
                replied_on=local_day(o.replied_at) if o.replied_at else None,
                today=today,
            ),
        )
        for o in found
    ]


def entry_context(entry: DisclosureEntry, *, today=None) -> dict:
    today = today or local_day()
    redaction = entry.corrections.filter(
        change=DisclosureEntry.Change.REDACTION, state="published"
    ).first()
    entry.is_redacted = redaction is not None  # the cached property, known here
    files = {
        f.sha256: f
        for f in DisclosureFile.objects.filter(
            sha256__in=[a["sha256"] for a in entry.attachments]
        )
    }
    attachments = [
        {**a, "available": bool(files.get(a["sha256"]) and files[a["sha256"]].file)}
        for a in entry.attachments
    ]
    return {
        "entry": entry,
        "phase": phase(
            display_from=entry.display_from,
            display_until=entry.display_until,
            today=today,
        )
        if entry.published
        else None,
        "redaction": redaction,
        "corrections": entry.corrections.filter(state="published").order_by("seq"),
        "attachments": attachments,
        "objections": objections_of(entry, today=today) if entry.published else [],
        "today": today,
    }


def drafts_of(community: Community):
    return (
        DisclosureEntry.objects.filter(community=community)
        .exclude(state="published")
        .order_by("-created_at")
    )


def overdue_of(community: Community, *, today=None):
    """Unanswered objections past their due date on this community's board."""
    today = today or local_day()
    return (
        Objection.objects.filter(
            Q(entry__community=community) | Q(entry__compound__communities=community),
            replied_at__isnull=True,
            reply_due__lt=today,
        )
        .select_related("entry", "person", "escalation")
        .distinct()
        .order_by("reply_due")
    )


def schedule_of(community: Community, *, today=None):
    """The periodic disclosures of the last three months and two quarters."""
    today = today or local_day()
    due_days = disclosure_settings_of(community).periodic_due_days
    cadences = {Kind.FINANCE: Cadence.MONTHLY, Kind.GENERAL: Cadence.QUARTERLY}
    firsts = (
        DisclosureEntry.objects.filter(
            community=community,
            state="published",
            kind__in=list(cadences),
            change="original",
        )
        .values("kind", "period")
        .annotate(first=Min("published_at"))
    )
    published = {
        (cadences[r["kind"]], r["period"]): local_day(r["first"]) for r in firsts
    }

    def due_of(period):
        deadline = days_after(period.last_day, due_days)
        return deadline.last_day, deadline.certain

    return schedule(today=today, published=published, due_of=due_of)


# ---- the chain -----------------------------------------------------------------

CHAIN_COLUMNS = (
    *CONTENT_COLUMNS,
    "corrects__seq",
    "seq",
    "prev_hash",
    "content_hash",
    "entry_hash",
)


def chain_records(community_id: int) -> list[chain.Record]:
    rows = (
        DisclosureEntry.objects.filter(community_id=community_id, seq__isnull=False)
        .order_by("seq", "pk")
        .values_list(*CHAIN_COLUMNS)
    )
    records = []
    for row in rows.iterator(chunk_size=2000):
        fields = dict(zip(CHAIN_COLUMNS, row, strict=True))
        records.append(
            chain.Record(
                seq=fields["seq"],
                prev_hash=fields["prev_hash"],
                content_hash=fields["content_hash"],
                entry_hash=fields["entry_hash"],
                content=entry_content(fields),
            )
        )
    return records


def chain_verdict(community_id: int) -> chain.Verdict:
    """Recompute every hash of a community's chain from the stored rows."""
    records = chain_records(community_id)
    head = ChainHead.objects.filter(community_id=community_id).first()
    if head is None and records:
        return chain.Verdict(0, 1, chain.Break.ENTRY_MISSING, "chain head")
    known = {r.entry_hash: r.seq for r in records}
    return chain.verify(
        records,
        head_seq=head.seq if head else 0,
        head_hash=head.entry_hash if head else None,
        known_hashes=known,
    )


def chained_communities(code: str | None = None):
    """Communities that have a chain (or the one named by its code)."""
    with_chain = Community.objects.filter(
        Q(pk__in=ChainHead.objects.values("community_id"))
        | Q(
            pk__in=DisclosureEntry.objects.filter(seq__isnull=False).values(
                "community_id"
            )
        )
    )
    if code:
        return Community.objects.filter(code=code)
    return with_chain.order_by("code")


# ---- read by the capabilities an entry discloses (records) ----------------------


def entries_of_source(source_kind: str, source_id: int, *, today=None) -> list[dict]:
    """Every original entry drafted from one source (a matter), oldest first, each
    with its phase (displayed / archived), display period and objections."""
    today = today or local_day()
    found = (
        DisclosureEntry.objects.filter(
            source_kind=source_kind,
            source_id=source_id,
            change=DisclosureEntry.Change.ORIGINAL,
        )
        .select_related("community", "compound", "corrects")
        .annotate(redacted=_redacted())
        .order_by("created_at", "pk")
    )
    return [
        {
            "entry": entry,
            "phase": phase(
                display_from=entry.display_from,
                display_until=entry.display_until,
                today=today,
            )
            if entry.published
            else None,
            "objections": objections_of(entry, today=today) if entry.published else [],
        }
        for entry in found
    ]
