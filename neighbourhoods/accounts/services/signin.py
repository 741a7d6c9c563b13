"""Signing up and in with a phone and a code, resetting a password by code, and
adding a phone to an account.

Sign-up and sign-in are one step: a right code for a number with no account opens
one (an unverified account: on no roll until staff link it to the register), so
the pages never tell whether a number has an account.
"""

from __future__ import annotations

import datetime as dt

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yishi.audit import audit_record

from ..domain.codes import new_code
from ..models import PhoneCode, ResidentAccount
from .codes import checked_phone, phone_code_consume
from .errors import CODE_DEAD, PHONE_TAKEN, AccountError

INACTIVE = _("此账号已停用，请联系社区工作人员。 This account is disabled: ask staff.")
USERNAME_PREFIX = "jm"  # 居民


def new_username() -> str:
    """A random login name ("jm" and 7 digits) that no account has yet."""
    model = get_user_model()
    for _try in range(20):
        username = USERNAME_PREFIX + new_code(7)
        if not model.objects.filter(username=username).exists():
            return username
    raise AccountError(  # pragma: no cover - 20 collisions in 10^7
        _("请稍后再试。 Please try again."), code="busy", status=503
    )


def new_resident_user():
    """A login without a usable password (it signs in by code)."""
    user = get_user_model()(username=new_username())
    user.set_unusable_password()
    user.save()
    return user


def _signup(phone: str, now: dt.datetime):
    user = new_resident_user()
    account = ResidentAccount.objects.create(
        user=user, phone=phone, phone_verified_at=now
    )
    audit_record(actor=user, action="account_signup", target=account)
    return user


def phone_signin(*, phone: str, code: str, now: dt.datetime | None = None):
    """The account of `phone` (created when there is none) for a right code.

    Returns (user, created). A wrong code is counted and refused (422; the code
    dies after 5 wrong tries); an expired or spent one too. Nothing but the count
    is written on a refusal.
    """
    phone = checked_phone(phone)
    now = now or timezone.now()
    with transaction.atomic():
        check = phone_code_consume(
            phone=phone, purpose=PhoneCode.Purpose.SIGNIN, code=code, now=now
        )
        if check.ok:
            account = (
                ResidentAccount.objects.select_related("user")
                .filter(phone=phone)
                .first()
            )
            if account is None:
                return _signup(phone, now), True
            if not account.user.is_active:
                raise AccountError(INACTIVE, code="inactive", status=403)
            return account.user, False
    raise check.error


def _checked_password(password: str, password2: str, user) -> None:
    if password != password2:
        raise AccountError(
            _("两次输入的密码不一致。 The two passwords differ."), code="mismatch"
        )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages), code="weak_password") from None


def password_reset_by_code(
    *, phone: str, code: str, password: str, password2: str, now=None
):
    """Set a new password for the account of `phone`, with a reset code.

    The password is checked first (a weak one spends no try); a right code also
    lifts a sign-in lock of the account (it proves the phone is the owner's).
    """
    phone = checked_phone(phone)
    now = now or timezone.now()
    account = (
        ResidentAccount.objects.select_related("user")
        .filter(phone=phone, user__is_active=True)
        .first()
    )
    _checked_password(str(password), str(password2), account.user if account else None)
    with transaction.atomic():
        check = phone_code_consume(
            phone=phone, purpose=PhoneCode.Purpose.RESET, code=code, now=now
        )
        if check.ok and account is not None:
            user = account.user
            user.set_password(str(password))
            user.save(update_fields=["password"])
            audit_record(actor=user, action="account_password_reset", target=account)
            axes_reset(username=user.get_username())
            return user
    raise check.error or AccountError(CODE_DEAD, code="code_dead")


def account_phone_bind(*, actor, phone: str, code: str, now=None) -> ResidentAccount:
    """Add (or change) the signed-in user's mobile number, with a code sent to it.

    Refused 409 when another account has the number (the code is not spent).
    """
    phone = checked_phone(phone)
    now = now or timezone.now()
    if ResidentAccount.objects.filter(phone=phone).exclude(user=actor).exists():
        raise AccountError(PHONE_TAKEN, code="phone_taken", status=409)
    with transaction.atomic():
        check = phone_code_consume(
            phone=phone, purpose=PhoneCode.Purpose.BIND, code=code, now=now
        )
        if check.ok:
            account, _created = (
                ResidentAccount.objects.select_for_update().get_or_create(user=actor)
            )
            account.phone = phone
            account.phone_verified_at = now
            account.save(update_fields=["phone", "phone_verified_at"])
            audit_record(actor=actor, action="account_phone_bind", target=account)
            return account
    raise check.error
