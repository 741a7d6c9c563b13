"""Clause-level comments: residents comment on an article, reply and agree while the
comment period runs; the drafting group answers and marks each comment accepted,
partly accepted or not accepted, with its reason (意见采纳情况)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.privacy import scrub

from .. import permissions
from ..domain.lifecycle import State, comment_open
from ..models import CommentAgreement, Handling, PactComment
from .common import audit, lock_version
from .errors import PactError, forbidden, invalid

TEXT_LIMIT = 2000


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise invalid(_("意见不能为空。 The comment is empty."), "text")
    if len(text) > TEXT_LIMIT:
        raise invalid(
            _("意见过长（最多 %(n)s 字）。 Too long (at most %(n)s characters).")
            % {"n": TEXT_LIMIT},
            "text",
        )
    if "\x00" in text:  # PostgreSQL keeps no NUL in text
        raise invalid(
            _("含有无法保存的字符。 A character that cannot be kept."), "text"
        )
    if scrub(text) != text:
        raise invalid(
            _(
                "公开的意见不得含有身份证号或手机号。"
                " A public comment may not contain ID-card or mobile numbers."
            ),
            "personal_data",
        )
    return text


def _closed() -> PactError:
    return PactError(
        _(
            "不在征求意见期内，不能发表意见。"
            " Comments are taken only during the comment period."
        ),
        code="comment_closed",
        status=409,
    )


def _pseudonym(version, actor) -> int:
    own = (
        PactComment.objects.filter(version=version, author=actor)
        .values_list("pseudonym", flat=True)
        .first()
    )
    if own:
        return own
    top = PactComment.objects.filter(version=version).aggregate(m=Max("pseudonym"))
    return (top["m"] or 0) + 1


@transaction.atomic
def comment_post(
    *, version_id: int, article_key: str, text: str, actor, parent_id=None, now=None
) -> PactComment:
    """A comment on an article, or a reply to a comment, in the comment period."""
    now = now or timezone.now()
    version = lock_version(version_id, manage=False)
    if not permissions.can_comment(actor, version.page):
        raise forbidden()
    if not comment_open(
        version.state, timezone.localdate(now), version.comment_last_day
    ):
        raise _closed()
    if article_key not in {a["key"] for a in version.articles}:
        raise invalid(_("没有这一条。 No such article."), "article")
    parent = None
    if parent_id:
        parent = PactComment.objects.filter(pk=parent_id, version=version).first()
        if parent is None or parent.article_key != article_key:
            raise invalid(_("所回复的意见不存在。 No such comment."), "parent")
    by_group = permissions.can_manage(actor, version.page)
    comment = PactComment.objects.create(
        version=version,
        article_key=article_key,
        parent=parent,
        author=actor,
        by_drafting_group=by_group,
        pseudonym=0 if by_group else _pseudonym(version, actor),
        text=_clean(text),
        created_at=now,
    )
    audit(actor, "pact_comment_post", version, comment=comment.pk, reply=bool(parent))
    return comment


def _lock_comment(comment_id: int) -> PactComment:
    comment = (
        PactComment.objects.select_for_update(of=("self",))
        .select_related("version__page")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise PactError(_("没有这条意见。 No such comment."), status=404)
    return comment


@transaction.atomic
def comment_agree(*, comment_id: int, actor, now=None) -> PactComment:
    """附议: agree with a comment, once per person."""
    comment = _lock_comment(comment_id)
    version = comment.version
    if not permissions.can_comment(actor, version.page):
        raise forbidden()
    today = timezone.localdate(now or timezone.now())
    if not comment_open(version.state, today, version.comment_last_day):
        raise _closed()
    try:
        with transaction.atomic():
            CommentAgreement.objects.create(comment=comment, user=actor)
    except IntegrityError:
        raise PactError(
            _("您已附议过这条意见。 You agreed with this comment already."),
            code="already_agreed",
            status=409,
        ) from None
    PactComment.objects.filter(pk=comment.pk).update(agree_count=F("agree_count") + 1)
    comment.refresh_from_db(fields=["agree_count"])
    return comment


@transaction.atomic
def comment_handle(
    *, comment_id: int, handling: str, reason: str, actor, now=None
) -> PactComment:
    """The drafting group's decision on a resident's comment, with its reason."""
    comment = _lock_comment(comment_id)
    version = lock_version(comment.version_id, actor=actor)
    if comment.parent_id or comment.by_drafting_group:
        raise invalid(_("只处理居民的意见本身。 Only a resident's own comment."))
    if version.state not in (State.PUBLIC_COMMENT, State.LEGALITY_REVIEW):
        raise PactError(
            _("该版本已不能再处理意见。 Comments are no longer handled here."),
            code="wrong_state",
            status=409,
        )
    if handling not in Handling.values:
        raise invalid(_("请选择处理结果。 Choose how it was handled."), "handling")
    comment.handling = handling
    comment.handling_reason = _clean(reason)
    comment.handled_at = now or timezone.now()
    comment.save(update_fields=["handling", "handling_reason", "handled_at"])
    audit(actor, "pact_comment_handle", version, comment=comment.pk, handling=handling)
    return comment
