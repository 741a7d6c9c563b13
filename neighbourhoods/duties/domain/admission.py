"""The admission (准入) of work outside the two lists, as a state machine.

Law: 民政部、中央组织部《关于进一步开展社区减负工作的通知》(民发〔2015〕136号)
[NAT-NORM]: matters of governments and departments must not be shifted to the
community; what it helps with must bring the necessary funds and conditions
(费随事转); an admission system decides. The Panzhihua opinion [LOCAL] has the
steps, RULES.md §7:

    applied → subdistrict viewed → communities consulted → admitted | refused
    admitted → in force (the task has entered the named communities)
    in force → completed;  applied … in force → withdrawn (by the department)

The leadership group (城乡社区建设领导小组) that approves is the city's for a city
department and the district's for a district department. A request without a legal
basis, or whose task would enter a community with neither funds, staff nor a
purchased service, is refused before it starts. Pure Python: `now` is passed in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class State(enum.StrEnum):
    APPLIED = "applied"
    SUBDISTRICT_VIEWED = "subdistrict_viewed"
    COMMUNITIES_CONSULTED = "communities_consulted"
    ADMITTED = "admitted"
    REFUSED = "refused"
    IN_FORCE = "in_force"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    SUBDISTRICT_VIEW = "subdistrict_view"
    CONSULT_CLOSE = "consult_close"
    APPROVE = "approve"
    REFUSE = "refuse"
    ENTER = "enter"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"


class Level(enum.StrEnum):
    CITY = "city"
    DISTRICT = "district"


# Who acts: the department that applied, the subdistrict, the leadership group's
# office of the approving level, or a community concerned.
class Actor(enum.StrEnum):
    DEPARTMENT = "department"
    SUBDISTRICT = "subdistrict"
    LEADERSHIP_OFFICE = "leadership_office"


TRANSITIONS: dict[tuple[State, Action], tuple[State, Actor]] = {
    (State.APPLIED, Action.SUBDISTRICT_VIEW): (
        State.SUBDISTRICT_VIEWED,
        Actor.SUBDISTRICT,
    ),
    (State.SUBDISTRICT_VIEWED, Action.CONSULT_CLOSE): (
        State.COMMUNITIES_CONSULTED,
        Actor.LEADERSHIP_OFFICE,
    ),
    (State.COMMUNITIES_CONSULTED, Action.APPROVE): (
        State.ADMITTED,
        Actor.LEADERSHIP_OFFICE,
    ),
    (State.COMMUNITIES_CONSULTED, Action.REFUSE): (
        State.REFUSED,
        Actor.LEADERSHIP_OFFICE,
    ),
    (State.ADMITTED, Action.ENTER): (State.IN_FORCE, Actor.DEPARTMENT),
    (State.IN_FORCE, Action.COMPLETE): (State.COMPLETED, Actor.DEPARTMENT),
}
WITHDRAWABLE = frozenset(
    {
        State.APPLIED,
        State.SUBDISTRICT_VIEWED,
        State.COMMUNITIES_CONSULTED,
        State.ADMITTED,
        State.IN_FORCE,
    }
)
FINAL = frozenset({State.REFUSED, State.COMPLETED, State.WITHDRAWN})
# The states in which a task binds the named communities.
BINDING = frozenset({State.IN_FORCE})


class AdmissionError(ValueError):
    """A refused step; `code` names why (views map it to 409 or 422)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def step(state: State, action: Action) -> tuple[State, Actor]:
    """The next state and who may take the step, or AdmissionError("out_of_order")."""
    state, action = State(state), Action(action)
    if action is Action.WITHDRAW:
        if state in WITHDRAWABLE:
            return State.WITHDRAWN, Actor.DEPARTMENT
        raise AdmissionError("out_of_order")
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise AdmissionError("out_of_order") from None


def approving_level(department_level: Level) -> Level:
    """The city's leadership group for a city department, the district's for a
    district department (the Panzhihua opinion)."""
    return Level(department_level)


# Words that say "nothing" where a purchased service is asked for.
NOTHING = frozenset(
    {"无", "没有", "暂无", "否", "不涉及", "/", "-", "—", "none", "n/a"}
)


def says_something(text: str) -> bool:
    """Whether a purchased-service entry names one (not blank, not "无")."""
    return text.strip().lower() not in NOTHING | {""}


@dataclass(frozen=True)
class Application:
    """What a department sends. Money in fen (0.01 yuan), exact integers."""

    legal_basis: str
    funds_fen: int
    staff: int
    purchased_service: str
    starts_on: date
    ends_on: date | None
    communities: int

    def problems(self) -> list[str]:
        """Why it cannot be taken, as codes; empty when it can."""
        found = []
        if not self.legal_basis.strip():
            found.append("no_legal_basis")
        if self.funds_fen < 0 or self.staff < 0:
            found.append("negative")
        elif not (
            self.funds_fen > 0
            or self.staff > 0
            or says_something(self.purchased_service)
        ):
            found.append("no_funds")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            found.append("ends_before_start")
        if self.communities < 1:
            found.append("no_community")
        return found


def requires_reasons(action: Action, reasons: str) -> bool:
    """A refusal must give its reasons."""
    return Action(action) is Action.REFUSE and not reasons.strip()


def binds(state: State, starts_on: date, ends_on: date | None, today: date) -> bool:
    """Whether the task binds its communities on `today`."""
    if State(state) not in BINDING or today < starts_on:
        return False
    return ends_on is None or today <= ends_on
