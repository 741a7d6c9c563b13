"""Accounts staff open for residents, and their printed one-time sign-in slips.

An elderly resident without a smartphone gets an account from community staff, who
know them: it is linked to their register record at once, and a slip with the
account name and an 8-digit code is printed. The code signs in once, within 7
days, and may be tried 5 times; a new slip replaces the old one. Only accounts
staff made get slips: a resident who signed up by themself signs in by phone, and
staff cannot print themselves a way into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from yishi.audit import audit_record

from ...models.people import Person
from .. import permissions
from ..domain.codes import SLIP_POLICY, CodeState, code_state, new_code
from ..models import ResidentAccount, SignInSlip
from .codes import code_hash, typed_code, wrong_try
from .errors import BAD_SLIP, SLIP_DEAD, AccountError
from .signin import INACTIVE, new_resident_user

REFUSED = _("你无权为这位居民开通账号。 You may not open an account for this resident.")
SELF_MADE = _(
    "这位居民已有自己注册的账号，请让其用手机验证码登录；"
    "登录条只用于工作人员代开的账号。 "
    "This resident has an account of their own: they sign in by phone. Slips are "
    "only for accounts staff opened."
)
SLIP_FORMAT = _(
    "登录码是 8 位数字，请核对登录条。 The sign-in code is 8 digits: check the slip."
)
NO_SLIP = _("账号或登录码不正确，请核对登录条。 Wrong account name or sign-in code.")


@dataclass(frozen=True)
class IssuedSlip:
    """What the printed slip shows; the code exists in clear only here."""

    person: Person
    username: str
    code: str
    expires_at: dt.datetime
    account_created: bool


def _slip_account(actor, person: Person):
    """The staff-made account of `person`, made now when they have none."""
    if person.user_id is None:
        user = new_resident_user()
        account = ResidentAccount.objects.create(
            user=user,
            staff_made=True,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        person.user = user
        person.save(update_fields=["user"])
        audit_record(
            actor=actor,
            action="account_create_for_person",
            target=account,
            community_id=person.home_community_id,
            detail={"person": person.pk},
        )
        return user, True
    user = person.user
    made = ResidentAccount.objects.filter(user=user, staff_made=True).exists()
    if not made or user.is_staff or user.is_superuser:
        raise AccountError(SELF_MADE, code="self_made_account", status=409)
    return user, False


@transaction.atomic
def signin_slip_issue(*, actor, person: Person, now=None) -> IssuedSlip:
    """Open an account for `person` if needed and print a new one-time slip.

    `actor` must edit the person's community (PermissionDenied otherwise).
    """
    now = now or timezone.now()
    locked = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=person.pk)
    )
    if not permissions.can_issue_slip(actor, locked):
        raise PermissionDenied(REFUSED)
    user, created = _slip_account(actor, locked)
    code = new_code(SLIP_POLICY.digits)
    SignInSlip.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": code_hash(f"slip:{user.pk}", code),
            "issued_by": actor if getattr(actor, "is_authenticated", False) else None,
            "issued_at": now,
            "attempts": 0,
            "used_at": None,
        },
    )
    audit_record(
        actor=actor,
        action="signin_slip_issue",
        target=locked,
        community_id=locked.home_community_id,
    )
    return IssuedSlip(
        person=locked,
        username=user.get_username(),
        code=code,
        expires_at=now + SLIP_POLICY.lifetime,
        account_created=created,
    )


def _slip_check(slip: SignInSlip | None, typed: str, now: dt.datetime):
    if slip is None:
        return AccountError(NO_SLIP, code="wrong_code")
    state = code_state(
        sent_at=slip.issued_at,
        attempts=slip.attempts,
        used=slip.used_at is not None,
        now=now,
        policy=SLIP_POLICY,
    )
    if state is not CodeState.USABLE:
        return AccountError(SLIP_DEAD, code="code_dead")
    if not constant_time_compare(
        slip.code_hash, code_hash(f"slip:{slip.user_id}", typed)
    ):
        slip.attempts += 1
        slip.save(update_fields=["attempts"])
        return wrong_try(
            slip.attempts, SLIP_POLICY, wrong=BAD_SLIP, dead=SLIP_DEAD
        ).error
    return None


def signin_slip_redeem(*, username: str, code: str, now=None):
    """The account a printed slip signs in, once; a wrong code is counted (422)."""
    typed = typed_code(code, SLIP_POLICY.digits)
    if typed is None:
        raise AccountError(SLIP_FORMAT, code="bad_code_format")
    username = str(username or "").strip()[:150]
    now = now or timezone.now()
    with transaction.atomic():
        slip = (
            SignInSlip.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(user__username=username)
            .first()
        )
        error = _slip_check(slip, typed, now)
        if error is None:
            if not slip.user.is_active:
                raise AccountError(INACTIVE, code="inactive", status=403)
            slip.used_at = now
            slip.save(update_fields=["used_at"])
            person = Person.objects.filter(user=slip.user).first()
            audit_record(
                actor=slip.user,
                action="signin_slip_use",
                target=slip,
                community_id=person.home_community_id if person else None,
            )
            return slip.user
    raise error
