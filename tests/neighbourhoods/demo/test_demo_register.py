"""The demo register's shape: places, parts and areas, owners, people, households."""

from collections import Counter

import pytest
from django.db.models import Count, F, Q

from neighbourhoods import demo
from neighbourhoods.models import (
    Building,
    Community,
    Compound,
    ExclusivePart,
    Grid,
    Household,
    Ownership,
    Person,
    Residency,
    ResidentsGroup,
    Subdistrict,
)

from .helpers import age

pytestmark = pytest.mark.django_db


def test_places(seeded):
    assert Subdistrict.objects.count() == 1
    street = Subdistrict.objects.get()
    assert street.name == "炳草岗街道"
    assert street.code.startswith("510402")
    assert len(street.code) == 9
    assert Community.objects.count() == 2
    for community in Community.objects.all():
        assert community.code.startswith(street.code)
        assert len(community.code) == 12
    assert Compound.objects.count() == 3
    spans = Counter(
        Compound.objects.annotate(n=Count("communities")).values_list("n", flat=True)
    )
    assert spans == {1: 2, 2: 1}
    assert 10 <= Building.objects.count() <= 14
    entrances = Building.objects.annotate(n=Count("entrances")).values_list(
        "n", flat=True
    )
    assert set(entrances) == {2, 3}
    assert ResidentsGroup.objects.count() == 6
    assert not Building.objects.filter(grid__isnull=True).exists()
    assert not Grid.objects.filter(Q(worker_name="") | Q(worker_phone="")).exists()
    # A building's community is one of its compound's communities.
    for building in Building.objects.select_related("compound"):
        assert building.compound.communities.filter(pk=building.community_id).exists()


def test_exclusive_parts_and_areas(seeded):
    parts = ExclusivePart.objects.all()
    assert 550 <= parts.count() <= 650
    kinds = Counter(parts.values_list("kind", flat=True))
    assert kinds[ExclusivePart.Kind.PARKING] >= 50
    assert kinds[ExclusivePart.Kind.COMMERCIAL] >= 5
    dwellings = parts.filter(kind=ExclusivePart.Kind.DWELLING)
    for part in dwellings:
        assert 6000 <= part.counted_area <= 14000, part
    for part in parts.filter(kind=ExclusivePart.Kind.PARKING):
        assert 1100 <= part.counted_area <= 1600, part  # about 12–15 m²
    # SPI Art. 8: some parts have only a surveyed or only a contract area.
    assert parts.filter(area_register__isnull=True, area_survey__isnull=False).exists()
    assert parts.filter(
        area_register__isnull=True,
        area_survey__isnull=True,
        area_contract__isnull=False,
    ).exists()
    assert not parts.filter(
        area_register__isnull=True, area_survey__isnull=True, area_contract__isnull=True
    ).exists()
    # Registered parts carry a 28-character real-estate unit code, unique.
    codes = list(
        parts.filter(area_register__isnull=False).values_list("unit_code", flat=True)
    )
    assert all(len(code) == 28 for code in codes)
    assert len(set(codes)) == len(codes)


def test_owners_and_developer(seeded):
    current = Ownership.objects.filter(end_date__isnull=True)
    # Every part has a holder; developer-held parts have no other.
    assert not ExclusivePart.objects.filter(ownerships__isnull=True).exists()
    held = current.filter(developer__isnull=False)
    share = held.count() / ExclusivePart.objects.count()
    assert 0.03 <= share <= 0.08
    assert set(held.values_list("basis", flat=True)) == {Ownership.Basis.DEVELOPER_HELD}
    assert held.filter(part__kind=ExclusivePart.Kind.DWELLING).exists()
    assert held.filter(part__kind=ExclusivePart.Kind.PARKING).exists()
    assert not current.filter(
        part__in=held.values("part"), person__isnull=False
    ).exists()
    # Co-owned parts: exactly one nominated voter each; sole owners none.
    by_part = (
        current.filter(person__isnull=False)
        .values("part")
        .annotate(
            owners=Count("id"), voters=Count("id", filter=Q(nominated_voter=True))
        )
    )
    co_owned = [row for row in by_part if row["owners"] > 1]
    assert len(co_owned) >= 20
    assert all(row["owners"] == 2 and row["voters"] == 1 for row in co_owned)
    assert all(row["voters"] == 0 for row in by_part if row["owners"] == 1)
    # Some people own two dwellings, some a dwelling and a parking space.
    per_person = Counter(
        current.filter(person__isnull=False).values_list("person_id", "part__kind")
    )
    assert any(
        kind == ExclusivePart.Kind.DWELLING and n >= 2
        for (_, kind), n in per_person.items()
    )
    dwelling_owners = {p for (p, k) in per_person if k == ExclusivePart.Kind.DWELLING}
    parking_owners = {p for (p, k) in per_person if k == ExclusivePart.Kind.PARKING}
    assert len(dwelling_owners & parking_owners) >= 30
    assert not current.filter(person__isnull=True, developer__isnull=True).exists()
    # Owners were grown up when they bought, and nobody bought in the future.
    for start, birth in current.filter(person__isnull=False).values_list(
        "start_date", "person__birth_date"
    ):
        assert birth.replace(year=birth.year + 18, day=min(birth.day, 28)) <= start
        assert start <= demo.REFERENCE_DATE
    for start, birth in Residency.objects.values_list(
        "start_date", "person__birth_date"
    ):
        assert birth <= start <= demo.REFERENCE_DATE


def test_people_and_households(seeded):
    assert 850 <= Person.objects.count() <= 950
    births = list(Person.objects.values_list("birth_date", flat=True))
    ages = [age(b) for b in births]
    assert sum(a < 18 for a in ages) >= 50
    assert sum(a >= 60 for a in ages) >= 100
    assert max(ages) < 100
    # Every household has exactly one current representative, an adult.
    reps = Household.objects.annotate(
        reps=Count(
            "residencies",
            filter=Q(
                residencies__is_representative=True,
                residencies__end_date__isnull=True,
            ),
        )
    )
    assert Household.objects.count() >= 300
    assert set(reps.values_list("reps", flat=True)) == {1}
    for birth in Residency.objects.filter(is_representative=True).values_list(
        "person__birth_date", flat=True
    ):
        assert age(birth) >= 18
    assert not Household.objects.filter(
        Q(dwelling__isnull=True) | Q(residents_group__isnull=True)
    ).exists()
    # Each household lives in a dwelling of its own community.
    assert not Household.objects.exclude(
        dwelling__building__community=F("community")
    ).exists()
    # Tenants: habitual residents who own nothing.
    tenants = Person.objects.filter(
        residencies__kind=Residency.Kind.HABITUAL, ownerships__isnull=True
    )
    assert tenants.count() >= 50
    # Owners who live elsewhere have no residency but a home community.
    assert Person.objects.filter(
        residencies__isnull=True, ownerships__isnull=False
    ).exists()
    # Three representatives per residents' group (2018 law Art. 9: two or three).
    group_reps = Residency.objects.filter(is_group_representative=True)
    assert group_reps.count() == 3 * ResidentsGroup.objects.count()
    per_group = Counter(group_reps.values_list("household__residents_group", flat=True))
    assert set(per_group.values()) == {3}
