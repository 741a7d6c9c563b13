"""A pact version's life (RULES.md §3.3; 《城市居民委员会组织法》第十五条).

    draft ─open_comment─▶ public_comment ─end_comment (period over)─▶ legality_review
    legality_review ─sign_off (every check passed)─▶ reviewed
    legality_review ─return─▶ draft
    reviewed ─open_vote─▶ voting ─record_vote (passed)─▶ adopted
                                 └─record_vote (not passed)─▶ rejected
    adopted ─file (a filing record)─▶ filed
    filed ─enter_force (passing vote + filing)─▶ in_force
    in_force ─supersede (a newer version enters force)─▶ amended
    in_force ─repeal─▶ repealed
    draft ─withdraw─▶ withdrawn

The comment period ends at 24:00 of its last day (民法典第二百零三条): comments are
taken while `today <= last_day`, and the comment stage may end only from the next
day on. Nothing is in force without the passing vote's record and the filing record.
`now`/`today` are always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    PUBLIC_COMMENT = "public_comment"
    LEGALITY_REVIEW = "legality_review"
    REVIEWED = "reviewed"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    FILED = "filed"
    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPEALED = "repealed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    OPEN_COMMENT = "open_comment"
    END_COMMENT = "end_comment"
    SIGN_OFF = "sign_off"
    RETURN = "return"
    OPEN_VOTE = "open_vote"
    RECORD_VOTE = "record_vote"
    FILE = "file"
    ENTER_FORCE = "enter_force"
    SUPERSEDE = "supersede"
    REPEAL = "repeal"
    WITHDRAW = "withdraw"


#: The legality review's checklist (RULES.md §3.3; 村组法第二十七条 by analogy).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("constitution_law", "不与宪法、法律、法规和国家政策相抵触"),
    ("personal_rights", "不侵犯居民的人身权利、民主权利和合法财产权利"),
    ("no_fines", "不设定罚款、收费等行政处罚或强制措施"),
    ("procedure", "起草、征求意见程序完整，意见已逐条处理"),
    ("adopting_body", "表决主体与依据正确（居民会议、小区居民或业主）"),
)
CHECK_CODES = frozenset(code for code, _ in CHECKLIST)

COMMENTABLE = frozenset({State.PUBLIC_COMMENT})
PLEDGEABLE = frozenset({State.IN_FORCE})
EDITABLE = frozenset({State.DRAFT})
OPEN_STATES = frozenset(
    {
        State.DRAFT,
        State.PUBLIC_COMMENT,
        State.LEGALITY_REVIEW,
        State.REVIEWED,
        State.VOTING,
        State.ADOPTED,
        State.FILED,
    }
)


@dataclass(frozen=True)
class Facts:
    """What a transition may depend on; only the facts it asks for matter."""

    today: date | None = None
    comment_last_day: date | None = None
    checklist: frozenset[str] = frozenset()  # the checks the reviewer passed
    vote_passed: bool | None = None  # None: no published result yet
    filed: bool = False


class TransitionRefused(Exception):
    def __init__(self, state: str, action: str, code: str):
        super().__init__(f"{action} refused in {state}: {code}")
        self.state, self.action, self.code = state, action, code


_MOVES: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.OPEN_COMMENT): State.PUBLIC_COMMENT,
    (State.DRAFT, Action.WITHDRAW): State.WITHDRAWN,
    (State.PUBLIC_COMMENT, Action.END_COMMENT): State.LEGALITY_REVIEW,
    (State.LEGALITY_REVIEW, Action.SIGN_OFF): State.REVIEWED,
    (State.LEGALITY_REVIEW, Action.RETURN): State.DRAFT,
    (State.REVIEWED, Action.OPEN_VOTE): State.VOTING,
    (State.VOTING, Action.RECORD_VOTE): State.ADOPTED,
    (State.ADOPTED, Action.FILE): State.FILED,
    (State.FILED, Action.ENTER_FORCE): State.IN_FORCE,
    (State.IN_FORCE, Action.SUPERSEDE): State.AMENDED,
    (State.IN_FORCE, Action.REPEAL): State.REPEALED,
}


def comment_open(state: str, today: date, last_day: date | None) -> bool:
    """Comments are taken in the comment stage up to 24:00 of the last day."""
    return state == State.PUBLIC_COMMENT and last_day is not None and today <= last_day


def _guard(state: State, action: Action, facts: Facts) -> str | None:
    """Why the move is refused, or None."""
    if action == Action.OPEN_COMMENT and facts.comment_last_day is None:
        return "no_period"
    if action == Action.END_COMMENT and (
        facts.today is None
        or facts.comment_last_day is None
        or facts.today <= facts.comment_last_day
    ):
        return "period_running"
    if action == Action.SIGN_OFF and not facts.checklist >= CHECK_CODES:
        return "checklist_incomplete"
    if action == Action.RECORD_VOTE and facts.vote_passed is None:
        return "no_result"
    if action == Action.ENTER_FORCE and not facts.filed:
        return "not_filed"
    if action == Action.ENTER_FORCE and facts.vote_passed is not True:
        return "not_adopted"
    return None


NO_FACTS = Facts()


def transition(state: str, action: str, facts: Facts = NO_FACTS) -> State:
    """The state after `action`, or TransitionRefused naming why."""
    state, action = State(state), Action(action)
    if action == Action.OPEN_VOTE and state in (
        State.DRAFT,
        State.PUBLIC_COMMENT,
        State.LEGALITY_REVIEW,
    ):
        raise TransitionRefused(state, action, "review_first")
    if action == Action.ENTER_FORCE and state in (State.ADOPTED, State.VOTING):
        raise TransitionRefused(state, action, "not_filed")
    target = _MOVES.get((state, action))
    if target is None:
        raise TransitionRefused(state, action, "wrong_state")
    refusal = _guard(state, action, facts)
    if refusal is not None:
        raise TransitionRefused(state, action, refusal)
    if action == Action.RECORD_VOTE and facts.vote_passed is False:
        return State.REJECTED
    return target
