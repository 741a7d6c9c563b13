"""One-time codes: how long they live, how often they may be tried and sent.

No law sets these numbers; they are the platform's policy (status: LOCAL setting
with a default, `CodePolicy`), chosen against guessing and against text-message
flooding:

- an SMS code (验证码) is 6 digits, lives 10 minutes and may be tried 5 times: a
  guesser's chance is 5 in 10^6 per code, and at most `sends_per_day` codes a day
  are sent to one number (one per `resend_interval`);
- a printed sign-in slip (登录条, made by staff for an elderly resident) carries 8
  digits, lives 7 days and may be tried 5 times; it signs in once.

Why residents sign in by phone at all: the Cybersecurity Law Art. 24 asks services
that let users publish information to confirm their real identity when the service
is provided, which mainland services do with a verified mobile number (NATIONAL;
whether it applies to a community's own platform: UNVERIFIED, needs legal review).

Times are passed in (`now`), aware datetimes; nothing here reads a clock.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class CodePolicy:
    digits: int = 6
    lifetime: dt.timedelta = dt.timedelta(minutes=10)
    max_attempts: int = 5
    resend_interval: dt.timedelta = dt.timedelta(seconds=60)
    sends_per_day: int = 10


SMS_POLICY = CodePolicy()
SLIP_POLICY = CodePolicy(digits=8, lifetime=dt.timedelta(days=7), max_attempts=5)
DAY = dt.timedelta(days=1)


class CodeState(enum.Enum):
    USABLE = "usable"
    MISSING = "missing"  # none was sent, or a newer one replaced it
    USED = "used"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"  # too many wrong tries


def new_code(digits: int) -> str:
    """A uniformly random code of `digits` decimal digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def code_state(
    *,
    sent_at: dt.datetime | None,
    attempts: int,
    used: bool,
    now: dt.datetime,
    policy: CodePolicy,
) -> CodeState:
    """Whether a code sent at `sent_at` may still be tried at `now`.

    It expires when `lifetime` has passed (at exactly sent_at + lifetime it is
    expired) and is dead after `max_attempts` wrong tries.
    """
    if sent_at is None:
        return CodeState.MISSING
    if used:
        return CodeState.USED
    if attempts >= policy.max_attempts:
        return CodeState.EXHAUSTED
    if now >= sent_at + policy.lifetime:
        return CodeState.EXPIRED
    return CodeState.USABLE


def attempts_left(attempts: int, policy: CodePolicy) -> int:
    return max(policy.max_attempts - attempts, 0)


@dataclass(frozen=True)
class SendDecision:
    allowed: bool
    # When refused: how long until the next send may be asked, whole seconds.
    wait_seconds: int = 0
    daily_limit: bool = False
    # When allowed: the counting window to store with the send.
    window_start: dt.datetime | None = None
    sends_in_window: int = 0


def _ceil_seconds(delta: dt.timedelta) -> int:
    whole = int(delta.total_seconds())
    return whole + (1 if delta > dt.timedelta(seconds=whole) else 0)


def send_decision(
    *,
    last_sent_at: dt.datetime | None,
    window_start: dt.datetime | None,
    sends_in_window: int,
    now: dt.datetime,
    policy: CodePolicy = SMS_POLICY,
) -> SendDecision:
    """May another code be sent to this number at `now`?

    At most one per `resend_interval` (a send exactly one interval later is
    allowed), and at most `sends_per_day` in a 24-hour window that starts with the
    first send after the previous window ended.
    """
    if last_sent_at is not None and now < last_sent_at + policy.resend_interval:
        wait = last_sent_at + policy.resend_interval - now
        return SendDecision(allowed=False, wait_seconds=_ceil_seconds(wait))
    if window_start is None or now >= window_start + DAY:
        return SendDecision(allowed=True, window_start=now, sends_in_window=1)
    if sends_in_window >= policy.sends_per_day:
        wait = window_start + DAY - now
        return SendDecision(
            allowed=False, wait_seconds=_ceil_seconds(wait), daily_limit=True
        )
    return SendDecision(
        allowed=True, window_start=window_start, sends_in_window=sends_in_window + 1
    )


def group_digits(code: str, size: int = 4) -> str:
    """A printed code in groups that are easy to read aloud: 4831 2290."""
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


def clean_typed_code(value: str) -> str:
    """What a person typed as a code, without spaces or hyphens (full-width digits
    become ASCII); the caller checks it is all digits of the right length."""
    value = (value or "").strip()[:40]
    value = value.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    return "".join(ch for ch in value if ch not in " -\u3000")
