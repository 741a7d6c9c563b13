"""The comment stage's end and the legality review (a checklist and a reviewer's
sign-off; RULES.md §3.3: the pact must not conflict with law or policy)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..domain.lifecycle import CHECK_CODES, Action, Facts
from ..models import LegalityReview, PactComment
from .common import audit, lock_version, move, today_of
from .errors import PactError, invalid, kept_text


@transaction.atomic
def comment_period_end(*, version_id: int, actor, today=None) -> object:
    """After the period's last day, the draft goes to the legality review."""
    version = lock_version(version_id, actor=actor)
    facts = Facts(today=today_of(today), comment_last_day=version.comment_last_day)
    move(version, Action.END_COMMENT, facts)
    version.save(update_fields=["state"])
    audit(actor, "pact_comment_end", version)
    return version


@transaction.atomic
def review_sign_off(
    *, version_id: int, checks, reviewer_name: str, actor, note: str = "", today=None
) -> LegalityReview:
    """Every check passed and every resident's comment handled: signed off."""
    version = lock_version(version_id, actor=actor)
    checks = frozenset(checks or ())
    if not checks <= CHECK_CODES:
        raise invalid(_("未知的审查项。 Unknown check."), "checks")
    reviewer_name = kept_text(reviewer_name, "reviewer_name", 50)
    if not reviewer_name:
        raise invalid(_("请填写审查人。 Name the reviewer."), "reviewer_name")
    open_comments = PactComment.objects.filter(
        version=version, parent__isnull=True, by_drafting_group=False, handling=""
    ).count()
    if open_comments:
        raise PactError(
            _(
                "还有 %(n)s 条意见未处理，请先逐条答复。"
                " %(n)s comments are not handled yet."
            )
            % {"n": open_comments},
            code="comments_open",
            status=409,
        )
    move(version, Action.SIGN_OFF, Facts(checklist=checks))
    version.save(update_fields=["state"])
    review = LegalityReview.objects.create(
        version=version,
        checks=sorted(checks),
        note=kept_text(note, "note", 2000),
        reviewer=actor if getattr(actor, "is_authenticated", False) else None,
        reviewer_name=reviewer_name,
        signed_on=today_of(today),
    )
    audit(actor, "pact_review_sign_off", version, reviewer=reviewer_name)
    return review


@transaction.atomic
def review_return(*, version_id: int, actor, note: str = "") -> object:
    """The review finds a problem: the version goes back to draft."""
    version = lock_version(version_id, actor=actor)
    move(version, Action.RETURN)
    version.comment_last_day = None
    version.save(update_fields=["state", "comment_last_day"])
    audit(actor, "pact_review_return", version, note=kept_text(note, "note", 200))
    return version
