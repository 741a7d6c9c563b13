"""One representative per household: the household roll of a residents' meeting.

城市居民委员会组织法 (2018 Art. 9) [NAT-LAW] counts 户的代表 against all households:
every active household is on the roll, represented or not, so the quorum denominator
never shrinks because a representative is missing; nobody votes for such a household
until one is recorded.
"""

from __future__ import annotations

from collections import defaultdict

from .facts import ResidentFact
from .snapshot import RollMember, RollProblem, joined_ids


def household_representatives(
    active: list[ResidentFact],
) -> tuple[list[RollMember], list[RollProblem]]:
    """One member per active household, voted by its representative, and problems."""
    problems: list[RollProblem] = []
    reps = _representatives_by_household(active, problems)
    members: list[RollMember] = []
    households_of_voter: dict[int, set[int]] = defaultdict(set)
    for hh, rep_ids in reps.items():
        member = _household_member(hh, rep_ids, problems)
        if member.voter_person_id is not None:
            households_of_voter[member.voter_person_id].add(hh)
        members.append(member)
    for voter, households in households_of_voter.items():
        if len(households) > 1:
            problems.append(
                RollProblem(
                    "representative_of_several_households",
                    f"person:{voter}",
                    f"represents households {joined_ids(households)}",
                )
            )
    return members, problems


def _representatives_by_household(
    active: list[ResidentFact], problems: list[RollProblem]
) -> dict[int, set[int]]:
    reps: dict[int, set[int]] = {}
    for fact in active:
        if fact.household_id is None:
            if fact.is_household_representative:
                problems.append(
                    RollProblem(
                        "representative_without_household",
                        f"person:{fact.person_id}",
                        "flagged as household representative without a household",
                    )
                )
            continue
        # setdefault: every active household is on the roll, represented or not
        household_reps = reps.setdefault(fact.household_id, set())
        if fact.is_household_representative:
            household_reps.add(fact.person_id)
    return reps


def _household_member(
    hh: int, rep_ids: set[int], problems: list[RollProblem]
) -> RollMember:
    subject = f"household:{hh}"
    if not rep_ids:
        # The household is still part of the constituency (居民委员会组织法
        # 2018 Art. 9 counts 户的代表 against all households); leaving it out would
        # shrink the quorum denominator. Nobody can vote for it until a
        # representative is recorded.
        problems.append(
            RollProblem("no_household_representative", subject, "no representative")
        )
        return RollMember(f"hh:{hh}", (), None, heads=1, area=0, part_ids=())
    voter = min(rep_ids)
    if len(rep_ids) > 1:
        # One household, one vote: pick a deterministic voter and flag it.
        problems.append(
            RollProblem(
                "several_household_representatives",
                subject,
                f"representatives {joined_ids(rep_ids)}; person {voter} counted",
            )
        )
    return RollMember(f"hh:{hh}", (voter,), voter, heads=1, area=0, part_ids=())
