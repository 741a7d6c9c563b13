"""`DemoRegisterPlanner`: the seeded draws every stage of the demo plan shares.

It holds the plan being built and the one `random.Random(SEED)`; the stages (parts,
homes, bodies, logins) call its draws in a fixed order, so the same plan comes out
of every process on every day. Never iterate a set here: its order changes with
PYTHONHASHSEED.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from yishi.privacy import id_number_check_digit

from ..data.names import (
    FAR_REGIONS,
    GIVEN,
    LOCAL_REGIONS,
    PHONE_PREFIXES,
    SURNAME_CUM,
    SURNAME_LIST,
)
from .records import (
    REFERENCE_DATE,
    SEED,
    TERM_END,
    TERM_START,
    BodyKey,
    BodySpec,
    MembershipSpec,
    PersonSpec,
    Plan,
)

# A household's shape → the age range of its representative (户主).
HEAD_AGES = {
    "single_elder": (65, 90),
    "elder_couple": (60, 86),
    "couple": (24, 59),
    "couple_child": (27, 48),
    "couple_two_children": (30, 46),
    "couple_adult_child": (44, 64),
    "three_generations": (31, 50),
    "single": (22, 59),
    "single_parent": (28, 50),
}
CHILDREN = {"couple_child": 1, "couple_two_children": 2, "single_parent": 1}


class DemoRegisterPlanner:
    """Plans the demo register: people, their homes, ownerships, seats and logins."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.plan = Plan()
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.people: dict[str, PersonSpec] = {}
        self.owned: Counter[str] = Counter()  # parts per owner (ID number)
        self.taken: set[str] = set()  # people who already hold a seat

    # -- people --

    def _birth(self, age: int) -> dt.date:
        start = dt.date(REFERENCE_DATE.year - age - 1, REFERENCE_DATE.month, 2)
        return start + dt.timedelta(days=self.rng.randrange(365))

    def _id_number(self, birth: dt.date, sex: str) -> str:
        far = 45 if birth.year < 1965 else 15
        pool = FAR_REGIONS if self.rng.randrange(100) < far else LOCAL_REGIONS
        regions = [code for code, _ in pool]
        region = self.rng.choices(regions, [w for _, w in pool])[0]
        if birth.year >= 2000 and pool is LOCAL_REGIONS:
            region = "510402"  # born here
        while True:
            # GB 11643: the sequence number is odd for men, even for women.
            seq = self.rng.randrange(500) * 2 + (1 if sex == "M" else 0)
            body = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = body + id_number_check_digit(body)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def name(self, sex: str, birth_year: int, surname: str | None = None) -> str:
        surname = surname or self.rng.choices(SURNAME_LIST, cum_weights=SURNAME_CUM)[0]
        for before, male, female in GIVEN:
            if birth_year < before:
                return surname + self.rng.choice(male if sex == "M" else female)
        raise AssertionError("unreachable")

    def person(
        self,
        *,
        sex: str,
        age: int,
        community: str,
        surname: str | None = None,
        compound: str | None = None,
    ) -> PersonSpec:
        birth = self._birth(age)
        name = self.name(sex, birth.year, surname)
        id_number = self._id_number(birth, sex)
        has_phone = (age >= 18 and (age < 80 or self.rng.random() < 0.6)) or (
            14 <= age < 18 and self.rng.random() < 0.5
        )
        person = PersonSpec(
            id_number=id_number,
            full_name=name,
            sex=sex,
            birth_date=birth,
            phone=self.phone() if has_phone else "",
            community=community,
            compound=compound,
        )
        self.plan.people.append(person)
        self.people[id_number] = person
        return person

    @staticmethod
    def other_sex(sex: str) -> str:
        return "F" if sex == "M" else "M"

    def spouse_age(self, age: int) -> int:
        return max(20, age + self.rng.randint(-5, 3))

    def members(self, shape: str, community: str, compound: str) -> list[PersonSpec]:
        """The people of one household, representative (户主) first."""
        rng = self.rng
        head_age = rng.randint(*HEAD_AGES[shape])
        head_sex = "M" if rng.random() < (0.45 if "single" in shape else 0.7) else "F"
        where = {"community": community, "compound": compound}
        head = self.person(sex=head_sex, age=head_age, **where)
        people = [head]
        father = head if head_sex == "M" else None
        if "couple" in shape or shape == "three_generations":
            spouse = self.person(
                sex=self.other_sex(head_sex), age=self.spouse_age(head_age), **where
            )
            people.append(spouse)
            father = father or spouse
        surname = father.full_name[0] if father else None
        people += self._children(shape, [p.age for p in people], surname, where)
        if shape == "three_generations":
            people.append(self._grandparent(head, where))
        return people

    def _children(
        self, shape: str, parent_ages: list[int], surname: str | None, where: dict
    ) -> list[PersonSpec]:
        # Both parents were at least 22 and the mother at most 45 at a child's birth.
        rng = self.rng
        children = []
        for n in range(CHILDREN.get(shape, 0) + (shape == "three_generations")):
            low = max(0, max(parent_ages) - 45)
            high = min(17, min(parent_ages) - 22)
            child_age = rng.randint(low, high) if n == 0 else rng.randint(0, high)
            children.append(
                self.person(
                    sex=rng.choice("MF"), age=child_age, surname=surname, **where
                )
            )
        if shape == "couple_adult_child":
            children.append(
                self.person(
                    sex=rng.choice("MF"),
                    age=rng.randint(18, min(32, parent_ages[0] - 20)),
                    surname=surname,
                    **where,
                )
            )
        return children

    def _grandparent(self, head: PersonSpec, where: dict) -> PersonSpec:
        elder_sex = self.rng.choice("MF")
        head_male = head.sex == "M"
        return self.person(
            sex=elder_sex,
            age=min(95, head.age + self.rng.randint(24, 34)),
            # The head's father carries the head's surname.
            surname=head.full_name[0] if elder_sex == "M" and head_male else None,
            **where,
        )

    # -- choosing people for seats --

    def residents(
        self, community: str | None = None, compound: str | None = None
    ) -> list[PersonSpec]:
        return [
            p
            for p in self.plan.people
            if p.household is not None
            and (community is None or p.community == community)
            and (compound is None or p.compound == compound)
        ]

    def pick(
        self,
        pool: list[PersonSpec],
        taken: set[str],
        *,
        ages: tuple[int, int] = (25, 70),
        party: bool = False,
        owners: bool = False,
    ) -> PersonSpec:
        candidates = [
            p
            for p in pool
            if ages[0] <= p.age <= ages[1]
            and p.id_number not in taken
            and (p.party_member or not party)
            and (self.owned[p.id_number] > 0 or not owners)
        ]
        chosen = self.rng.choice(candidates)
        taken.add(chosen.id_number)
        return chosen

    def seat(
        self, body: BodyKey, person: PersonSpec, role: str, *, term: bool = True
    ) -> None:
        self.plan.memberships.append(
            MembershipSpec(
                body=body,
                person=person.id_number,
                role=role,
                term_start=TERM_START if term else None,
                term_end=TERM_END if term else None,
            )
        )

    def body(self, community: str, compound: str | None, kind: str, name: str):
        key = (community, compound, kind)
        self.plan.bodies.append(BodySpec(key=key, name=name))
        return key
