"""One representative per household: the household roll of a residents' meeting.

城市居民委员会组织法 (2018 Art. 9) [NAT-LAW] counts 户的代表 against all households:
every active household is on the roll, represented or not, so the quorum denominator
never shrinks because a representative is missing; nobody votes for such a household
until one is recorded.

The residents' meeting is made up of residents aged 18 or over (same Art. 9; RULES.md
§9a) [NAT-LAW], so a representative votes only when aged 18 or over on the roll's
date (``adults.is_adult``: from the 18th birthday itself, 民法典 Art. 1259 "以上").
A younger one, or one whose age the register cannot show, is a roll problem for staff
to review and never a voter; the household stays on the roll.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from .adults import is_adult
from .facts import ResidentFact
from .snapshot import RollMember, RollProblem, joined_ids


def household_representatives(
    active: list[ResidentFact], as_of: date
) -> tuple[list[RollMember], list[RollProblem]]:
    """One member per active household, voted by its representative, and problems."""
    problems: list[RollProblem] = []
    recorded = _representatives_by_household(active, problems)
    reps = _adult_representatives(active, recorded, as_of, problems)
    members: list[RollMember] = []
    households_of_voter: dict[int, set[int]] = defaultdict(set)
    for hh, rep_ids in reps.items():
        member = _household_member(hh, rep_ids, bool(recorded[hh]), problems)
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


def _adult_representatives(
    active: list[ResidentFact],
    reps: dict[int, set[int]],
    as_of: date,
    problems: list[RollProblem],
) -> dict[int, set[int]]:
    """The representatives who may vote: aged 18 or over on ``as_of``.

    A person with several recorded birth dates counts only if adult under the
    latest one (as the adults' roll does), so a possible minor never votes.
    """
    births: dict[int, set[date]] = defaultdict(set)
    for fact in active:
        if fact.birth_date is not None:
            births[fact.person_id].add(fact.birth_date)
    voting: dict[int, set[int]] = {}
    for hh, rep_ids in reps.items():
        voting[hh] = set()
        for pid in rep_ids:
            known = births.get(pid)
            if not known:
                problems.append(
                    RollProblem(
                        "representative_birth_date_missing",
                        f"person:{pid}",
                        f"household {hh}: no birth date recorded",
                    )
                )
            elif not is_adult(max(known), as_of):
                problems.append(
                    RollProblem(
                        "representative_under_18",
                        f"person:{pid}",
                        f"household {hh}: under 18 on {as_of.isoformat()}",
                    )
                )
            else:
                voting[hh].add(pid)
    return voting


def _household_member(
    hh: int, rep_ids: set[int], any_recorded: bool, problems: list[RollProblem]
) -> RollMember:
    subject = f"household:{hh}"
    if not rep_ids:
        # The household is still part of the constituency (居民委员会组织法
        # 2018 Art. 9 counts 户的代表 against all households); leaving it out would
        # shrink the quorum denominator. Nobody can vote for it until a
        # representative aged 18 or over is recorded (a recorded one who is not
        # was flagged by `_adult_representatives`).
        if not any_recorded:
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
