"""The life of a disclosure entry and of an objection to it (RULES.md §4.3).

    DRAFTED ─submit─▶ IN_REVIEW ─approve─▶ APPROVED ─publish─▶ PUBLISHED
                          │  └──────publish (review window over, no objection)──┘
                          └─return─▶ RETURNED ─edit/submit─▶ …

The supervisory committee (居务监督委员会) reviews the draft within the review window
(山东省村务公开条例 第十一条、第十六条 [LOCAL]: it may object within 5 days; silence
at the window's end lets the committee publish). PUBLISHED entries are displayed for
the display period (DISPLAY_DAYS, floor 7) and then archived: both computed on read
from the dates, never by a timer; an archived entry stays in the chain.

An objection (异议) may be filed while the entry is displayed; the committee replies
within REPLY_DAYS; an unanswered one is overdue the day after its due date (民法典
第二百零三条: the last day ends at 24:00) and escalated to the supervisory committee
and the subdistrict (村组法 第三十一条 [NAT-LAW template]: residents may complain to
the government above). Pure Python; `today` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    DISCARD = "discard"


class TransitionRefused(ValueError):
    """`code`: wrong_state, review_pending (window open and no approval)."""

    def __init__(self, state: State, action: Action, code: str = "wrong_state"):
        super().__init__(f"{action} refused in {state}: {code}")
        self.state, self.action, self.code = state, action, code


_MOVES: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.EDIT): State.DRAFT,
    (State.RETURNED, Action.EDIT): State.RETURNED,
    (State.DRAFT, Action.SUBMIT): State.IN_REVIEW,
    (State.RETURNED, Action.SUBMIT): State.IN_REVIEW,
    (State.IN_REVIEW, Action.APPROVE): State.APPROVED,
    (State.IN_REVIEW, Action.RETURN): State.RETURNED,
    (State.APPROVED, Action.PUBLISH): State.PUBLISHED,
    (State.IN_REVIEW, Action.PUBLISH): State.PUBLISHED,  # only once the window is over
    (State.DRAFT, Action.DISCARD): State.DRAFT,
    (State.RETURNED, Action.DISCARD): State.RETURNED,
}


def transition(state: State, action: Action, *, review_window_over: bool) -> State:
    """The state after `action`, or TransitionRefused. A published entry is final."""
    target = _MOVES.get((State(state), Action(action)))
    if target is None:
        raise TransitionRefused(State(state), Action(action))
    if (state, action) == (State.IN_REVIEW, Action.PUBLISH) and not review_window_over:
        raise TransitionRefused(State(state), Action(action), "review_pending")
    return target


class Phase(StrEnum):
    DISPLAYED = "displayed"  # 公示中: objections may be filed
    ARCHIVED = "archived"  # 已归档: still in the chain


def phase(*, display_from: date, display_until: date, today: date) -> Phase:
    """Displayed from the day of publication through the period's last day."""
    return Phase.DISPLAYED if display_from <= today <= display_until else Phase.ARCHIVED


def may_object(*, display_from: date, display_until: date, today: date) -> bool:
    return phase(
        display_from=display_from, display_until=display_until, today=today
    ) == (Phase.DISPLAYED)


class ReplyState(StrEnum):
    AWAITING = "awaiting"
    OVERDUE = "overdue"
    REPLIED = "replied"
    REPLIED_LATE = "replied_late"


def reply_state(*, due: date, replied_on: date | None, today: date) -> ReplyState:
    """A reply is due by the end of `due`; overdue from the next day."""
    if replied_on is not None:
        return ReplyState.REPLIED if replied_on <= due else ReplyState.REPLIED_LATE
    return ReplyState.OVERDUE if today > due else ReplyState.AWAITING


_STEMS = "甲乙丙丁戊己庚辛壬癸"


def pseudonym(index: int) -> str:
    """居民甲, 居民乙 … for the 1st, 2nd … person objecting to one entry."""
    if index < 1:
        raise ValueError("index starts at 1")
    if index <= len(_STEMS):
        return "居民" + _STEMS[index - 1]
    return f"居民{index}"


@dataclass(frozen=True)
class ReviewWindow:
    submitted_on: date
    last_day: date

    def over(self, today: date) -> bool:
        return today > self.last_day
