"""The four instruments and who adopts each, on which basis.

- 居民公约 (community residents' pact): discussed and adopted by the residents'
  meeting, or its representatives' meeting where the law allows; filed with the
  district government or its street office (《城市居民委员会组织法》第十五条,
  RULES.md §3.1, §3.3).
- 小区自治公约 (compound self-governance convention): a sub-community instrument
  [LOCAL]; adopted by the compound's residents (or owners, by the community's
  setting) on the compound's roll (RULES.md §3.3).
- 楼栋公约 (building convention): the building's residents [LOCAL].
- 管理规约 (owners' management covenant): adopted by the owners under
  《民法典》第二百七十八条第一款第（一）项 and 第二款; not to be conflated with a pact.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PactKind(StrEnum):
    RESIDENTS_PACT = "residents_pact"
    COMPOUND_CONVENTION = "compound_convention"
    BUILDING_CONVENTION = "building_convention"
    OWNERS_COVENANT = "owners_covenant"


class Scope(StrEnum):
    COMMUNITY = "community"
    COMPOUND = "compound"
    BUILDING = "building"


@dataclass(frozen=True)
class Adoption:
    """Who adopts an instrument: the roll's scope and basis, the rule, the law."""

    scope: Scope
    bases: tuple[str, ...]  # neighbourhoods.rolls RollBasis values allowed
    body_zh: str
    law_zh: str


ADOPTION: dict[PactKind, Adoption] = {
    PactKind.RESIDENTS_PACT: Adoption(
        Scope.COMMUNITY,
        ("residents_adult", "household_representatives", "group_representatives"),
        "居民会议（或依法由居民代表会议）讨论通过",
        "《城市居民委员会组织法》第十五条",
    ),
    PactKind.COMPOUND_CONVENTION: Adoption(
        Scope.COMPOUND,
        ("residents_adult", "household_representatives", "owners"),
        "本小区居民（或依社区设置由业主）按小区名册表决",
        "地方规定（小区自治公约）",
    ),
    PactKind.BUILDING_CONVENTION: Adoption(
        Scope.BUILDING,
        ("residents_adult", "household_representatives"),
        "本楼栋居民表决",
        "地方规定（楼栋公约）",
    ),
    PactKind.OWNERS_COVENANT: Adoption(
        Scope.COMPOUND,
        ("owners",),
        "业主共同决定",
        "《民法典》第二百七十八条第一款第（一）项、第二款",
    ),
}


def adoption_of(kind: str) -> Adoption:
    return ADOPTION[PactKind(kind)]


def basis_allowed(kind: str, basis: str) -> bool:
    return basis in adoption_of(kind).bases


def rule_for(basis: str) -> str:
    """The ballots' rule family judging the vote: owners decide under 民法典第二百七十八
    条 (owners-ordinary); residents by the residents' meeting's rule (more than half of
    the roll taking part, more than half of them agreeing; for a compound or building
    convention a [LOCAL] default that needs legal review)."""
    return "owners-ordinary" if basis == "owners" else "residents-meeting"
