"""The room's limits on what a participant sends, and the per-connection rate limit.

Not law: the platform's own house rules for a live meeting (issue 11 §6). A statement
is at most 2,000 characters; a client frame must admit one in escaped JSON (each
character as `\\uXXXX`, six characters) and refuses anything longer. A connection
posts at most one statement per 2 s and at most 10 actions per second; a connection
that keeps exceeding that is closed (4429). `now` is passed in (seconds, monotonic).
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATEMENT_MAX = 2000
# 2,000 escaped characters (6 each) and the envelope around them, rounded up to 16 KiB.
FRAME_MAX = 16 * 1024
STATEMENT_INTERVAL = 2  # seconds between two statements of one connection
ACTIONS_PER_SECOND = 10
# Refusals in a row (within ABUSE_WINDOW seconds) after which the socket is closed.
ABUSE_REFUSALS = 20
ABUSE_WINDOW = 10


def unstorable(text: str) -> bool:
    """True if `text` holds a character no database text column keeps: NUL, or half
    of a UTF-16 surrogate pair (JSON's `\\ud800` alone decodes to one)."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def statement_problem(text: object) -> str | None:
    """Why `text` cannot be a statement (zh then en), or None."""
    if not isinstance(text, str) or not text.strip():
        return "请填写发言内容。 Write something."
    if len(text.strip()) > STATEMENT_MAX:
        return f"发言不能超过 {STATEMENT_MAX} 字。 At most {STATEMENT_MAX} characters."
    if unstorable(text):
        return "发言含有无法保存的字符。 It has characters that cannot be kept."
    return None


def object_id(value: object) -> int | None:
    """`value` as a row's id if it can be one (a positive integer within a bigint,
    not a bool, not a float or a string), else None: what a client sends is not
    handed to a query before it is known to be an id."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value < 2**63 else None


@dataclass
class RateLimiter:
    """One connection's budget: a sliding one-second window for actions, a minimum
    interval between statements, and a count of recent refusals."""

    action_times: list[float] = field(default_factory=list)
    last_statement: float | None = None
    refusals: list[float] = field(default_factory=list)

    def allow(self, now: float, *, statement: bool) -> bool:
        """True if the action may go ahead (and count it); False if refused."""
        self.action_times = [t for t in self.action_times if now - t < 1]
        too_fast = len(self.action_times) >= ACTIONS_PER_SECOND
        if statement and self.last_statement is not None:
            too_fast = too_fast or now - self.last_statement < STATEMENT_INTERVAL
        if too_fast:
            self.refusals = [t for t in self.refusals if now - t < ABUSE_WINDOW]
            self.refusals.append(now)
            return False
        self.action_times.append(now)
        if statement:
            self.last_statement = now
        return True

    def abusive(self) -> bool:
        """Refused so often lately that the connection should be closed."""
        return len(self.refusals) >= ABUSE_REFUSALS
