"""Drafting a disclosure and its review by the supervisory committee (居务监督委员会).

Staff draft (`disclosure_draft`, `disclosure_update`) and submit it
(`disclosure_submit`): the review window runs from the day of submission for
`review_days` (counted by the deadline module). The committee approves it or
returns it with its opinion (`disclosure_review`). Nothing chained is written here:
publication is `publishing.disclosure_publish`.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.audit import audit_record
from yishi.privacy import scrub
from yishi.uploads import UploadRefused, sniff, upload_check

from .. import permissions
from ..dates import days_after, local_day
from ..domain.lifecycle import Action, TransitionRefused, transition
from ..domain.schedule import parse_period
from ..models import DisclosureEntry, DisclosureFile
from .errors import DisclosureError, DisclosureStateError, forbidden, invalid, not_found
from .settings import disclosure_settings_of

Kind = DisclosureEntry.Kind
TEXT_LIMIT = 20_000
EDITABLE = ("title", "text", "period", "kind")


def refused_transition(error: TransitionRefused) -> DisclosureStateError:
    if error.code == "review_pending":
        return DisclosureStateError(
            _(
                "监督委员会审核期尚未结束，且尚未审核通过。"
                " The supervisory committee's review is still open."
            ),
            code="review_pending",
        )
    if error.state == "published":
        return DisclosureStateError(
            _(
                "已公开的事项不能修改；请发布更正。"
                " A published entry cannot be changed:"
                " publish a correction."
            ),
            code="published",
        )
    return DisclosureStateError(
        _("当前状态下不能进行这项操作。 Not allowed in this state.")
    )


def lock_entry(entry_id: int) -> DisclosureEntry:
    entry = (
        DisclosureEntry.objects.select_for_update(of=("self",))
        .select_related("community", "compound", "corrects")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise not_found()
    return entry


def _clean_text(value: str, *, name: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(_("%(name)s不能为空。 %(name)s is required.") % {"name": name})
    if len(value) > limit:
        raise invalid(
            _("%(name)s过长（最多 %(limit)s 字）。 Too long.")
            % {"name": name, "limit": limit}
        )
    if "\x00" in value:  # PostgreSQL keeps no NUL in text
        raise invalid(
            _("%(name)s含有无法保存的字符。 A character that cannot be kept.")
            % {"name": name}
        )
    if scrub(value) != value:
        raise invalid(
            _(
                "公开内容不得含有身份证号或手机号（个人信息保护法）。"
                " Public text may not contain ID-card or mobile numbers."
            ),
            "personal_data",
        )
    return value


def _clean_period(kind: str, period: str) -> str:
    cadence = DisclosureEntry.CADENCE.get(kind)
    period = (period or "").strip()
    if cadence is None:
        if period:
            raise invalid(_("这类公开不按期间。 This kind has no period."), "period")
        return ""
    try:
        return parse_period(cadence, period).key
    except ValueError:
        example = "2026-10" if kind == Kind.FINANCE else "2026-Q3"
        raise invalid(
            _("请填写所属期间，如 %(example)s。 Give the period, e.g. %(example)s.")
            % {"example": example},
            "period",
        ) from None


def _check_place(community, kind, compound, body) -> None:
    if kind not in Kind.values:
        raise invalid(_("未知的公开类别。 Unknown kind."), "kind")
    if kind in DisclosureEntry.COMPOUND_KINDS and compound is None:
        raise invalid(
            _("业主委员会的公开须选择小区。 Choose the compound."), "compound"
        )
    if (
        compound is not None
        and not compound.communities.filter(pk=community.pk).exists()
    ):
        raise invalid(_("小区不属于本社区。 The compound is not in this community."))
    if body is not None and body.community_id != community.pk:
        # One chain per community: the publishing body's own community's.
        raise invalid(_("公开单位不属于本社区。 The body is not of this community."))


def attachment_store(upload, *, label: str) -> dict:
    """Keep an uploaded file privately by its SHA-256; the chain gets only this."""
    try:
        upload = upload_check(upload)
    except UploadRefused as error:
        raise DisclosureError(
            error.message, code=error.code, status=error.status
        ) from None
    upload.seek(0)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    media_type = sniff(data[:16])
    stored = DisclosureFile.objects.filter(sha256=digest).first()
    if stored is None:
        stored = DisclosureFile(sha256=digest, media_type=media_type, size=len(data))
        stored.file.save("upload", ContentFile(data, name=upload.name), save=False)
        stored.save()
    elif stored.removed_at is not None:
        raise invalid(_("该文件已依法撤下，不能再次公开。 This file was removed."))
    return {
        "sha256": digest,
        "size": len(data),
        "type": media_type,
        "label": label[:60],
    }


@transaction.atomic
def disclosure_draft(
    *,
    community,
    actor,
    kind: str,
    title: str,
    text: str,
    period: str = "",
    compound=None,
    body=None,
    source: tuple[str, int | None, str] = ("general", None, ""),
    files: tuple = (),
    corrects: DisclosureEntry | None = None,
) -> DisclosureEntry:
    """A new draft. `files`: (upload, label) pairs, kept by hash."""
    if not permissions.can_draft(actor, community):
        raise forbidden()
    _check_place(community, kind, compound, body)
    entry = DisclosureEntry(
        community=community,
        compound=compound,
        body=body,
        community_code=community.code,
        compound_name=compound.name if compound else "",
        publisher=(body.name if body else community.name)[:100],
        kind=kind,
        title=_clean_text(title, name=_("标题"), limit=200),
        text=_clean_text(text, name=_("正文"), limit=TEXT_LIMIT),
        period=_clean_period(kind, period),
        source_kind=source[0],
        source_id=source[1],
        source_title=(source[2] or "")[:200],
        attachments=[attachment_store(f, label=label) for f, label in files],
        corrects=corrects,
        change=DisclosureEntry.Change.CORRECTION if corrects else "original",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry.save()
    audit_record(
        actor=actor,
        action="disclosure_draft",
        target=entry,
        community_id=community.pk,
        detail={"kind": kind, "corrects": corrects.seq if corrects else None},
    )
    return entry


@transaction.atomic
def disclosure_update(*, entry_id: int, actor, **changes) -> DisclosureEntry:
    """Change a draft (or a returned one) before it is submitted again."""
    entry = lock_entry(entry_id)
    if not permissions.can_manage(actor, entry):
        raise forbidden()
    if set(changes) - set(EDITABLE):
        raise invalid(_("这些内容不能修改。 These fields cannot be changed."))
    try:
        transition(entry.state, Action.EDIT, review_window_over=False)
    except TransitionRefused as error:
        raise refused_transition(error) from None
    kind = changes.get("kind", entry.kind)
    _check_place(entry.community, kind, entry.compound, entry.body)
    entry.kind = kind
    if "title" in changes:
        entry.title = _clean_text(changes["title"], name=_("标题"), limit=200)
    if "text" in changes:
        entry.text = _clean_text(changes["text"], name=_("正文"), limit=TEXT_LIMIT)
    entry.period = _clean_period(kind, changes.get("period", entry.period))
    entry.save()
    audit_record(
        actor=actor,
        action="disclosure_update",
        target=entry,
        community_id=entry.community_id,
        detail={"changed": sorted(changes)},
    )
    return entry


@transaction.atomic
def disclosure_submit(*, entry_id: int, actor, now=None) -> DisclosureEntry:
    """Submit to the supervisory committee; its review window starts today."""
    entry = lock_entry(entry_id)
    if not permissions.can_manage(actor, entry):
        raise forbidden()
    try:
        entry.state = transition(entry.state, Action.SUBMIT, review_window_over=False)
    except TransitionRefused as error:
        raise refused_transition(error) from None
    today = local_day(now)
    days = disclosure_settings_of(entry.community).review_days
    entry.submitted_on = today
    entry.review_until = days_after(today, days).last_day
    entry.review_outcome, entry.review_opinion, entry.reviewed_by = "", "", None
    entry.save()
    audit_record(
        actor=actor,
        action="disclosure_submit",
        target=entry,
        community_id=entry.community_id,
        detail={"review_until": entry.review_until.isoformat()},
    )
    return entry


@transaction.atomic
def disclosure_review(
    *, entry_id: int, actor, approve: bool, opinion: str = "", now=None
) -> DisclosureEntry:
    """The supervisory committee approves the draft or returns it with an opinion."""
    entry = lock_entry(entry_id)
    if not permissions.can_review(actor, entry):
        raise DisclosureError(
            _(
                "只有居务监督委员会成员可以审核。"
                " Only the supervisory committee reviews."
            ),
            code="forbidden",
            status=403,
        )
    action = Action.APPROVE if approve else Action.RETURN
    try:
        entry.state = transition(entry.state, action, review_window_over=False)
    except TransitionRefused as error:
        raise refused_transition(error) from None
    opinion = (opinion or "").strip()
    if not approve and not opinion:
        raise invalid(_("退回时请写明意见。 Give the reason for returning it."))
    if opinion:
        opinion = _clean_text(opinion, name=_("意见"), limit=2000)
    entry.review_outcome = "approved" if approve else "returned"
    entry.review_opinion = opinion
    entry.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.save()
    audit_record(
        actor=actor,
        action="disclosure_review",
        target=entry,
        community_id=entry.community_id,
        detail={"approve": approve, "at": timezone.localtime(now).isoformat()},
    )
    return entry
