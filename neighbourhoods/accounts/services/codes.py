"""Sending and checking one-time codes (SMS codes and printed slips).

Why a table and not the cache: a code's counters must hold across every process
and restart, and be checked and changed in the same transaction as the account it
opens (a wrong try is counted even though the sign-in is refused; a right one is
spent together with the sign-up it allows). The cache is per-process memory in
development, and Redis may evict keys under memory pressure, which would reset the
limits; a row locked with SELECT … FOR UPDATE gives both guarantees on SQLite and
PostgreSQL, at the cost of one small write per code.

Codes are stored only as a keyed hash (HMAC-SHA256 with the site's SECRET_KEY,
salted by purpose and number or account): a 6-digit code hashed without a key would
be found by trying all 10^6 values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from yishi.privacy import normalise_mobile
from yishi.sms import send_sms

from ..domain.codes import (
    SMS_POLICY,
    CodeState,
    attempts_left,
    clean_typed_code,
    code_state,
    new_code,
    send_decision,
)
from ..models import PhoneCode, ResidentAccount
from .errors import (
    BAD_CODE_FORMAT,
    BAD_PHONE,
    CODE_DEAD,
    DAILY_LIMIT,
    TOO_SOON,
    WRONG_CODE,
    AccountError,
)

SMS_TEXT = (
    "【议事】您的验证码是 {code}，{minutes} 分钟内有效。请勿告诉任何人，"
    "工作人员不会向您索要验证码。 Yishi code {code}, valid {minutes} min. "
    "Never share it."
)


def checked_phone(value: str) -> str:
    """The 11-digit form of a typed mainland mobile number, or AccountError (422)."""
    phone = normalise_mobile(str(value or "")[:40])
    if phone is None:
        raise AccountError(BAD_PHONE, code="invalid_phone")
    return phone


def code_hash(scope: str, code: str) -> str:
    return salted_hmac(
        "yishi.accounts.code", f"{scope}:{code}", algorithm="sha256"
    ).hexdigest()


def typed_code(value: str, digits: int) -> str | None:
    code = clean_typed_code(str(value or ""))
    ok = len(code) == digits and code.isascii() and code.isdigit()
    return code if ok else None


def _scope(phone: str, purpose: str) -> str:
    return f"sms:{purpose}:{phone}"


def _wants_code(phone: str, purpose: str) -> bool:
    """A reset code goes only to a number with an account; the answer is the same
    either way, so the page never tells whether a number has an account."""
    if purpose != PhoneCode.Purpose.RESET:
        return True
    return ResidentAccount.objects.filter(phone=phone, user__is_active=True).exists()


def _store_code(phone: str, purpose: str, now: dt.datetime) -> str | None:
    """Replace the number's code with a new one, or AccountError (429) when the
    limits refuse. Returns the code in clear (to send), or None to send nothing."""
    row = PhoneCode.objects.select_for_update().filter(phone=phone).first()
    decision = send_decision(
        last_sent_at=row.sent_at if row else None,
        window_start=row.window_start if row else None,
        sends_in_window=row.sends_in_window if row else 0,
        now=now,
    )
    if not decision.allowed:
        if decision.daily_limit:
            raise AccountError(DAILY_LIMIT, code="daily_limit", status=429)
        message = TOO_SOON % {"seconds": decision.wait_seconds}
        raise AccountError(message, code="too_soon", status=429)
    code = new_code(SMS_POLICY.digits)
    row = row or PhoneCode(phone=phone)
    row.purpose = purpose
    row.code_hash = code_hash(_scope(phone, purpose), code)
    row.sent_at = now
    row.attempts = 0
    row.used_at = None
    row.window_start = decision.window_start
    row.sends_in_window = decision.sends_in_window
    row.save()
    return code if _wants_code(phone, purpose) else None


def phone_code_send(*, phone: str, purpose: str, now: dt.datetime | None = None) -> str:
    """Send a one-time code to `phone` for `purpose`; returns the normalised number.

    Refused with AccountError: 422 for a bad number, 429 within a minute of the last
    code or past the day's limit. The message is sent after the row is committed.
    """
    phone = checked_phone(phone)
    if purpose not in PhoneCode.Purpose.values:
        raise AccountError(BAD_PHONE, code="invalid_purpose", status=400)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            code = _store_code(phone, purpose, now)
    except IntegrityError:
        # Another request created this number's row at the same moment.
        raise AccountError(
            TOO_SOON % {"seconds": 60}, code="too_soon", status=429
        ) from None
    if code is not None:
        minutes = int(SMS_POLICY.lifetime.total_seconds() // 60)
        send_sms(phone, SMS_TEXT.format(code=code, minutes=minutes))
    return phone


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    error: AccountError | None = None


def wrong_try(attempts: int, policy, *, wrong, dead) -> CodeCheck:
    """The refusal of a wrong code: how many tries are left, or that it is dead."""
    left = attempts_left(attempts, policy)
    if left == 0:
        return CodeCheck(False, AccountError(dead, code="code_dead"))
    return CodeCheck(False, AccountError(wrong % {"left": left}, code="wrong_code"))


def phone_code_consume(
    *, phone: str, purpose: str, code: str, now: dt.datetime
) -> CodeCheck:
    """Check a typed code against the number's live one, inside the caller's
    transaction: a right code is spent, a wrong one counted. The caller commits
    the count before it raises the returned error (nothing else is written then)."""
    typed = typed_code(code, SMS_POLICY.digits)
    if typed is None:
        return CodeCheck(False, AccountError(BAD_CODE_FORMAT, code="bad_code_format"))
    row = PhoneCode.objects.select_for_update().filter(phone=phone).first()
    state = code_state(
        sent_at=row.sent_at if row else None,
        attempts=row.attempts if row else 0,
        used=bool(row and row.used_at),
        now=now,
        policy=SMS_POLICY,
    )
    if state is not CodeState.USABLE:
        return CodeCheck(False, AccountError(CODE_DEAD, code="code_dead"))
    expected = row.code_hash if row.purpose == purpose else ""
    if not constant_time_compare(expected, code_hash(_scope(phone, purpose), typed)):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return wrong_try(row.attempts, SMS_POLICY, wrong=WRONG_CODE, dead=CODE_DEAD)
    row.used_at = now
    row.save(update_fields=["used_at"])
    return CodeCheck(True)
