"""Linking an account to the resident's register record: the resident claims, the
community's staff verify or reject.

Until verified the account is unverified: `Person.user` is empty, so the account is
on no roll (`request.user.person` is what every roll and vote reads) and cannot
vote. Verifying sets that one link, nothing else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishi.audit import audit_record

from ...models.people import Person
from ...models.places import Community
from .. import permissions
from ..models import AccountLinkRequest
from .errors import AccountError

Status = AccountLinkRequest.Status

ALREADY_LINKED = _(
    "您的账号已经关联了居民信息。 Your account is already linked to the register."
)
ALREADY_PENDING = _(
    "您已有一份待核实的申请，请等待社区工作人员处理。 "
    "You already have a request waiting for staff."
)
NOT_PENDING = _("这份申请已经处理过了。 This request has already been decided.")
REFUSED = _(
    "你无权核实这个社区的账号关联申请。 "
    "You may not review this community's link requests."
)
OTHER_COMMUNITY = _(
    "这位居民不属于申请所填的社区。 This resident is not of the claimed community."
)
PERSON_TAKEN = _(
    "这位居民已关联了另一个账号。 This resident is already linked to another account."
)
REASON_NEEDED = _(
    "请填写未通过的原因（200 字以内），申请人会看到。 "
    "Give the reason (up to 200 characters): the resident will see it."
)


def _text(value, *, limit: int, required: bool, label: str) -> str:
    text = " ".join(str(value or "").replace("\x00", "").split())
    if (required and not text) or len(text) > limit:
        raise AccountError(
            _(
                "请填写%(label)s（%(limit)s 字以内）。 "
                "Fill in %(label)s: up to %(limit)s characters."
            )
            % {"label": label, "limit": limit},
            code="invalid_field",
        )
    return text


@transaction.atomic
def link_request_create(
    *, actor, community: Community, claimed_name, claimed_unit, note=""
) -> AccountLinkRequest:
    """The signed-in `actor` claims a register record of `community`."""
    if Person.objects.filter(user=actor).exists():
        raise AccountError(ALREADY_LINKED, code="already_linked", status=409)
    request = AccountLinkRequest(
        user=actor,
        community=community,
        claimed_name=_text(claimed_name, limit=50, required=True, label=_("姓名")),
        claimed_unit=_text(claimed_unit, limit=50, required=True, label=_("住址")),
        note=_text(note, limit=200, required=False, label=_("补充说明")),
    )
    # Locks the user's pending requests: two submissions at once make one.
    pending = AccountLinkRequest.objects.select_for_update().filter(
        user=actor, status=Status.PENDING
    )
    if pending.exists():
        raise AccountError(ALREADY_PENDING, code="already_pending", status=409)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # a second submission committed meanwhile
        raise AccountError(
            ALREADY_PENDING, code="already_pending", status=409
        ) from None
    audit_record(
        actor=actor,
        action="account_link_request",
        target=request,
        community_id=community.pk,
    )
    return request


def _locked_pending(actor, link_request: AccountLinkRequest) -> AccountLinkRequest:
    locked = (
        AccountLinkRequest.objects.select_for_update(of=("self",))
        .select_related("community", "user")
        .get(pk=link_request.pk)
    )
    if not permissions.can_review_links(actor, locked.community):
        raise PermissionDenied(REFUSED)
    if locked.status != Status.PENDING:
        raise AccountError(NOT_PENDING, code="not_pending", status=409)
    return locked


def _decided(actor, locked: AccountLinkRequest, status: str, action: str, detail):
    locked.status = status
    locked.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.reviewed_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action=action,
        target=locked,
        community_id=locked.community_id,
        detail=detail,
    )
    return locked


@transaction.atomic
def link_request_verify(
    *, actor, link_request: AccountLinkRequest, person: Person
) -> AccountLinkRequest:
    """Staff of the claimed community confirm the claim: the account becomes
    `person`'s login (`Person.user`). 403 for other staff, 409 when decided or
    when either side is linked already, 422 for a person of another community."""
    locked = _locked_pending(actor, link_request)
    target = Person.objects.select_for_update().get(pk=person.pk)
    if target.home_community_id != locked.community_id:
        raise AccountError(OTHER_COMMUNITY, code="other_community")
    if target.user_id is not None:
        raise AccountError(PERSON_TAKEN, code="person_taken", status=409)
    if Person.objects.filter(user=locked.user).exists():
        raise AccountError(ALREADY_LINKED, code="already_linked", status=409)
    target.user = locked.user
    target.save(update_fields=["user"])
    locked.person = target
    return _decided(
        actor, locked, Status.VERIFIED, "account_link_verify", {"person": target.pk}
    )


@transaction.atomic
def link_request_reject(
    *, actor, link_request: AccountLinkRequest, reason
) -> AccountLinkRequest:
    """Staff turn the claim down, saying why (the resident sees the reason)."""
    text = " ".join(str(reason or "").replace("\x00", "").split())
    if not text or len(text) > 200:
        raise AccountError(REASON_NEEDED, code="reason_needed")
    locked = _locked_pending(actor, link_request)
    locked.reason = text
    return _decided(actor, locked, Status.REJECTED, "account_link_reject", {})
