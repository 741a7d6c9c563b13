"""Publication into the community's hash chain, corrections and redactions.

`disclosure_publish` appends the entry to its community's chain: the chain head row
is locked (SELECT … FOR UPDATE), the next link computed (`domain.chain.next_link`)
and the entry and head written in one transaction; the unique constraint
(community, seq) stays the last word, so a publish that lost a race (SQLite takes
no row locks) is retried from the new head, never forked. After that the row is
immutable: the database refuses UPDATE and DELETE (models.py).

A correction is a new entry pointing to the one it corrects (drafted with
`disclosure_draft(corrects=…)`, reviewed and published like any other). A redaction
under the Personal Information Protection Law (个人信息保护法 第四十七条: deletion) is
published at once — removing personal data does not wait for a review window: a new
entry supersedes the old one, the old one's files are removed and their hashes kept,
and its text is withheld from the public pages and the public JSON (its hashes stay,
so the chain still verifies).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.register_cache import register_changed
from yishi.audit import audit_record

from .. import permissions
from ..dates import days_after, local_day
from ..domain.chain import next_link
from ..domain.lifecycle import Action, State, TransitionRefused, transition
from ..domain.rules import DISPLAY_DAYS
from ..hooks import run_publish_hooks
from ..models import ChainHead, DisclosureEntry, DisclosureFile
from .drafting import _clean_text, lock_entry, refused_transition
from .errors import DisclosureError, DisclosureStateError, forbidden, invalid
from .settings import disclosure_settings_of

PUBLISH_ATTEMPTS = 5
CHAIN_FIELDS = [
    "state",
    "review_outcome",
    "published_at",
    "display_from",
    "display_until",
    "display_days",
    "seq",
    "prev_hash",
    "content_hash",
    "entry_hash",
]


def _chain_append(entry: DisclosureEntry, now) -> None:
    """Lock the community's head, link the entry after it, move the head."""
    ChainHead.objects.bulk_create(
        [ChainHead(community_id=entry.community_id)], ignore_conflicts=True
    )
    head = ChainHead.objects.select_for_update().get(community_id=entry.community_id)
    days = disclosure_settings_of(entry.community).display_days
    if days < DISPLAY_DAYS.minimum:  # the settings' check constraint says so too
        raise invalid(_("公示期不能少于7日。 The display period is at least 7 days."))
    published_at = now.replace(microsecond=0)
    today = local_day(published_at)
    entry.state = State.PUBLISHED
    entry.published_at = published_at
    entry.display_from = today
    entry.display_days = days
    entry.display_until = days_after(today, days).last_day
    link = next_link(
        head_seq=head.seq, head_hash=head.entry_hash, content=entry.content()
    )
    entry.seq, entry.prev_hash = link.seq, link.prev_hash
    entry.content_hash, entry.entry_hash = link.content_hash, link.entry_hash
    entry.save(update_fields=CHAIN_FIELDS)
    head.seq, head.entry_hash = link.seq, link.entry_hash
    head.save(update_fields=["seq", "entry_hash"])
    register_changed()  # the community page lists the latest entries


def _audit_publish(entry: DisclosureEntry, actor) -> None:
    audit_record(
        actor=actor,
        action="disclosure_publish",
        target=entry,
        community_id=entry.community_id,
        detail={"seq": entry.seq, "entry_hash": entry.entry_hash},
    )


def _with_retry(attempt_once: Callable[[], DisclosureEntry]) -> DisclosureEntry:
    """Run one atomic publish; if another publish took the seq first (the unique
    constraint), run it again from the new head."""
    for attempt in range(PUBLISH_ATTEMPTS):
        try:
            with transaction.atomic():
                return attempt_once()
        except IntegrityError:
            if attempt == PUBLISH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def disclosure_publish(*, entry_id: int, actor, now=None) -> DisclosureEntry:
    """Publish a reviewed draft into the chain (approved, or its review window over
    without the committee returning it)."""
    now = now or timezone.now()

    def check(entry: DisclosureEntry) -> None:
        if not permissions.can_manage(actor, entry):
            raise forbidden()
        window_over = (
            entry.review_until is not None and local_day(now) > entry.review_until
        )
        try:
            transition(entry.state, Action.PUBLISH, review_window_over=window_over)
        except TransitionRefused as error:
            raise refused_transition(error) from None
        if entry.state == State.IN_REVIEW:
            entry.review_outcome = "no_objection"  # silent through the whole window

    def once() -> DisclosureEntry:
        entry = lock_entry(entry_id)
        check(entry)
        _chain_append(entry, now)
        _audit_publish(entry, actor)
        run_publish_hooks(entry, actor=actor, now=now)
        return entry

    return _with_retry(once)


def _remove_files(entry: DisclosureEntry, reason: str, now) -> int:
    hashes = [a["sha256"] for a in entry.attachments]
    removed = 0
    for stored in DisclosureFile.objects.select_for_update().filter(
        sha256__in=hashes, removed_at__isnull=True
    ):
        if stored.file:
            # The file goes once the redaction is committed (never before).
            name, storage = stored.file.name, stored.file.storage
            transaction.on_commit(lambda n=name, st=storage: st.delete(n))
            stored.file = ""
        stored.removed_at, stored.removed_reason = now, reason[:200]
        stored.save(update_fields=["file", "removed_at", "removed_reason"])
        removed += 1
    return removed


def _redaction_of(old: DisclosureEntry, actor, reason: str) -> DisclosureEntry:
    return DisclosureEntry.objects.create(
        community=old.community,
        compound=old.compound,
        body=old.body,
        community_code=old.community_code,
        compound_name=old.compound_name,
        publisher=old.publisher,
        kind=old.kind,
        title=_("撤下第 %(seq)s 条中的个人信息") % {"seq": old.seq},
        text=reason,
        period=old.period,
        change=DisclosureEntry.Change.REDACTION,
        corrects=old,
        review_outcome="not_required",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def disclosure_redact(
    *, entry_id: int, actor, reason: str, now=None
) -> DisclosureEntry:
    """Supersede a published entry that disclosed personal data, at once."""
    now = now or timezone.now()

    def once() -> DisclosureEntry:
        old = lock_entry(entry_id)
        if not permissions.can_manage(actor, old):
            raise forbidden()
        if not old.published:
            raise DisclosureStateError(
                _("只能撤下已公开的事项。 Only a published entry.")
            )
        if old.corrections.filter(change=DisclosureEntry.Change.REDACTION).exists():
            raise DisclosureStateError(
                _("该事项已撤下。 Already redacted."), code="redacted"
            )
        redaction = _redaction_of(
            old, actor, _clean_text(reason, name=_("撤下理由"), limit=500)
        )
        _chain_append(redaction, now)
        removed = _remove_files(old, reason, now)
        audit_record(
            actor=actor,
            action="disclosure_redact",
            target=old,
            community_id=old.community_id,
            detail={
                "seq": old.seq,
                "redaction_seq": redaction.seq,
                "files_removed": removed,
            },
        )
        return redaction

    return _with_retry(once)


def ensure_published(entry: DisclosureEntry) -> None:
    if not entry.published:
        raise DisclosureError(_("尚未公开。 Not published yet."), status=409)
