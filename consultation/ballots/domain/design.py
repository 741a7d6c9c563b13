"""Ballot design: which combinations of settings can be counted, and stay secret.

Owners' joint decisions are signed by the owner (业主大会议事规则指导规则 Art. 22):
an area-weighted paper names its owner, so a secret ballot counts heads only. A rule
for owners' decisions needs the owners' roll weighted by area; a decision rule
applies to yes / no / abstain motions only.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from .ballots import (
    BallotKind,
    BallotSpec,
    BallotSpecError,
    OptionRole,
    OptionSpec,
    is_motion,
)

#: The rule inputs a ballot's roll and tally can give (``selectors.rule_values``); a
#: rule needing others (the villagers' meeting counts adults and households at once)
#: is for `decide` and the calculator only.
BALLOT_RULE_INPUTS = frozenset(
    {
        "total_area",
        "total_owners",
        "participating_area",
        "participating_owners",
        "yes_area",
        "yes_owners",
        "constituency",
        "members",
        "present",
        "yes",
    }
)

MOTION_LABELS = (
    ("同意", OptionRole.YES),
    ("反对", OptionRole.NO),
    ("弃权", OptionRole.ABSTAIN),
)


class DesignProblem(enum.StrEnum):
    SECRET_WEIGHTED = "secret_weighted"
    SECRET_LIVE = "secret_live"
    RULE_NEEDS_OWNERS_AREA = "rule_needs_owners_area"
    RULE_NEEDS_MOTION = "rule_needs_motion"
    INCONSISTENT = "inconsistent"


@dataclass(frozen=True)
class BallotDesign:
    kind: str
    option_labels: Sequence[str]
    owners_roll: bool
    weighted_by_area: bool
    secret: bool
    live_results: bool
    rule_given: bool
    rule_needs_area: bool
    min_choices: int = 1
    max_choices: int = 1
    seats: int = 1


@dataclass(frozen=True)
class DesignRefusal:
    problem: DesignProblem
    detail: str = ""


def option_roles(kind: str, labels: Sequence[str]) -> list[tuple[str, OptionRole]]:
    """The options a ballot of `kind` gets: a motion's three, or the labels given."""
    if is_motion(kind):
        return list(MOTION_LABELS)
    return [(label, OptionRole.CHOICE) for label in labels]


def design_refusal(design: BallotDesign) -> DesignRefusal | None:
    """Why this ballot could not be counted (or kept secret); None when it can."""
    if design.secret and design.weighted_by_area:
        return DesignRefusal(DesignProblem.SECRET_WEIGHTED)
    if design.secret and design.live_results:
        return DesignRefusal(DesignProblem.SECRET_LIVE)
    if design.rule_given:
        if design.rule_needs_area and not (
            design.owners_roll and design.weighted_by_area
        ):
            return DesignRefusal(DesignProblem.RULE_NEEDS_OWNERS_AREA)
        if not is_motion(design.kind):
            return DesignRefusal(DesignProblem.RULE_NEEDS_MOTION)
    try:
        BallotSpec(
            kind=BallotKind(design.kind),
            options=tuple(
                OptionSpec(id=i, role=role)
                for i, (_label, role) in enumerate(
                    option_roles(design.kind, design.option_labels), start=1
                )
            ),
            min_choices=design.min_choices,
            max_choices=design.max_choices,
            seats=design.seats,
        )
    except (BallotSpecError, ValueError) as error:
        return DesignRefusal(DesignProblem.INCONSISTENT, str(error))
    return None
