"""The life of a resident's request (诉求) — RULES.md §5.4 [LOCAL practice on the
national anchors of 代表法 Arts. 51–52 and 《信访工作条例》 Arts. 22–40].

    SUBMITTED(channel) → REGISTERED → CLASSIFIED(route)
    → ANSWERED_ON_SITE | REFERRED(due)
    → IN_PROGRESS → (OVERDUE → SUPERVISED/督办) → REPLIED (the feedback to the resident)
    → SATISFACTION_RATED → CLOSED | REOPENED

Stored states are the ones an act makes. OVERDUE is not stored: it is read from the
due date and today (a referred, in-progress or reopened request whose due date has
passed — the date ends at 24:00, 民法典第二百零三条), so no timer has to move it.
A petition-like request (信访类) also has an acceptance date (受理期限, 15 days,
《信访工作条例》第二十三条): while it is still REFERRED — not yet taken up (START is
its acceptance, 受理) — it is overdue from the day after that date, even though its
conclusion date is weeks away.
Supervision (督办, 代表法第五十二条, 《信访工作条例》第四十条) is taken up only for an
overdue request, and the request stays supervised until it is replied to.
A request answered on the spot (当场答复) is replied to straight from CLASSIFIED.
A resident who is not satisfied may reopen a replied or rated request (the request for
review of 《信访工作条例》第三十五条); staff then refer it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class State(StrEnum):
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    CLASSIFIED = "classified"
    REFERRED = "referred"
    IN_PROGRESS = "in_progress"
    SUPERVISED = "supervised"
    REPLIED = "replied"
    RATED = "rated"
    CLOSED = "closed"
    REOPENED = "reopened"


class Route(StrEnum):
    """How a classified request is handled (RULES.md §5.4 CLASSIFIED)."""

    ON_THE_SPOT = "on_the_spot"  # 当场答复
    COMMUNITY = "community"  # 社区办理
    REFERRED = "referred"  # 转交有关部门
    DEPUTY_SUGGESTION = "deputy_suggestion"  # 作为代表建议办理


class Action(StrEnum):
    REGISTER = "register"
    CLASSIFY = "classify"
    REFER = "refer"
    START = "start"
    SUPERVISE = "supervise"
    REPLY = "reply"
    RATE = "rate"
    CLOSE = "close"
    REOPEN = "reopen"


# Where each act may be taken and where it leads.
TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.REGISTER: (frozenset({State.SUBMITTED}), State.REGISTERED),
    Action.CLASSIFY: (frozenset({State.REGISTERED}), State.CLASSIFIED),
    Action.REFER: (frozenset({State.CLASSIFIED, State.REOPENED}), State.REFERRED),
    Action.START: (frozenset({State.REFERRED}), State.IN_PROGRESS),
    Action.SUPERVISE: (
        frozenset({State.REFERRED, State.IN_PROGRESS, State.REOPENED}),
        State.SUPERVISED,
    ),
    Action.REPLY: (
        frozenset(
            {State.CLASSIFIED, State.REFERRED, State.IN_PROGRESS, State.SUPERVISED}
        ),
        State.REPLIED,
    ),
    Action.RATE: (frozenset({State.REPLIED}), State.RATED),
    Action.CLOSE: (frozenset({State.REPLIED, State.RATED}), State.CLOSED),
    Action.REOPEN: (frozenset({State.REPLIED, State.RATED}), State.REOPENED),
}

# States in which the request waits for its handler; a due date runs in them.
RUNNING = frozenset(
    {State.REFERRED, State.IN_PROGRESS, State.SUPERVISED, State.REOPENED}
)
ANSWERED = frozenset({State.REPLIED, State.RATED, State.CLOSED})
OPEN = frozenset(State) - {State.CLOSED}

STATE_LABELS = {
    State.SUBMITTED: "已提交",
    State.REGISTERED: "已登记",
    State.CLASSIFIED: "已分类",
    State.REFERRED: "已转办",
    State.IN_PROGRESS: "办理中",
    State.SUPERVISED: "督办中",
    State.REPLIED: "已答复",
    State.RATED: "已评价",
    State.CLOSED: "已办结",
    State.REOPENED: "重新办理",
}
ACTION_LABELS = {
    Action.REGISTER: "登记",
    Action.CLASSIFY: "分类",
    Action.REFER: "转办",
    Action.START: "开始办理",
    Action.SUPERVISE: "督办",
    Action.REPLY: "答复",
    Action.RATE: "评价",
    Action.CLOSE: "办结",
    Action.REOPEN: "重新办理",
}

RATING_MIN, RATING_MAX = 1, 5
# A rating of 3 or more (基本满意 and above) counts as satisfied.
SATISFIED_FROM = 3


class LifecycleError(ValueError):
    """An act the request's state does not allow; message in Chinese, then English."""

    def __init__(self, message: str, code: str = "wrong_state"):
        super().__init__(message)
        self.code = code


# A referred request not yet taken up (START) is not yet accepted (受理).
UNACCEPTED = frozenset({State.REFERRED})


@dataclass(frozen=True)
class Situation:
    """What an act is judged on: the stored state, the route, the due date, today,
    and a petition's acceptance date."""

    state: State
    route: Route | None = None
    due: date | None = None
    today: date | None = None
    accept_due: date | None = None


def missed_deadline(
    state: State, due: date | None, today: date, accept_due: date | None = None
) -> date | None:
    """The last day that has ended without the act it was set for: the acceptance
    date of a request not yet accepted, else the due date of a running request."""
    if state in UNACCEPTED and accept_due is not None and today > accept_due:
        return accept_due
    if state in RUNNING and due is not None and today > due:
        return due
    return None


def is_overdue(
    state: State, due: date | None, today: date, accept_due: date | None = None
) -> bool:
    """Overdue (逾期): a running request whose last day has ended (24:00), or one
    not yet accepted after its acceptance date has ended."""
    return missed_deadline(state, due, today, accept_due) is not None


def shown_state(
    state: State, due: date | None, today: date, accept_due: date | None = None
) -> str:
    """The state to show: "overdue" for an overdue request not yet supervised."""
    if state != State.SUPERVISED and is_overdue(state, due, today, accept_due):
        return "overdue"
    return str(state)


def next_state(action: Action, situation: Situation) -> State:
    """The state `action` leads to, or LifecycleError saying why it is refused."""
    sources, target = TRANSITIONS[action]
    state = situation.state
    if state not in sources:
        raise LifecycleError(
            f"诉求当前为“{STATE_LABELS[state]}”，不能“{ACTION_LABELS[action]}”。"
            f" / A request in state {state.value} cannot be {action.value}."
        )
    if (
        action is Action.REPLY
        and state is State.CLASSIFIED
        and situation.route is not Route.ON_THE_SPOT
    ):
        raise LifecycleError(
            "只有当场答复的诉求可以不经转办直接答复。"
            " / Only a request answered on the spot is replied to before referral.",
            code="not_on_the_spot",
        )
    if (
        action is Action.REFER
        and state is State.CLASSIFIED
        and situation.route is Route.ON_THE_SPOT
    ):
        raise LifecycleError(
            "当场答复的诉求不需要转办。"
            " / A request answered on the spot is not referred.",
            code="on_the_spot",
        )
    if action is Action.SUPERVISE and (
        situation.today is None
        or not is_overdue(state, situation.due, situation.today, situation.accept_due)
    ):
        raise LifecycleError(
            "只有逾期未办结的诉求才能督办。 / Only an overdue request is supervised.",
            code="not_overdue",
        )
    return target


def check_rating(score: int) -> int:
    """A satisfaction rating: an integer from 1 (不满意) to 5 (非常满意)."""
    if isinstance(score, bool) or not isinstance(score, int):
        raise LifecycleError(
            "评分必须是整数。 / The rating must be a whole number.", "rating"
        )
    if not RATING_MIN <= score <= RATING_MAX:
        raise LifecycleError(
            f"评分应为 {RATING_MIN} 至 {RATING_MAX}。"
            f" / The rating is {RATING_MIN} to {RATING_MAX}.",
            "rating",
        )
    return score


def is_satisfied(score: int) -> bool:
    return score >= SATISFIED_FROM
