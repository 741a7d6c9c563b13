"""factory_boy factories for the register."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from neighbourhoods import models
from yishi.privacy import id_number_hash


def make_id_number(n: int, birth: dt.date = dt.date(1980, 1, 1)) -> str:
    """A checksum-valid 18-character resident ID number (GB 11643) for test person n."""
    from yishi.privacy import id_number_check_digit

    body = f"510402{birth:%Y%m%d}{n % 1000:03d}"
    return body + id_number_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-Yishi-2026")


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Subdistrict

    name = factory.Sequence(lambda n: f"测试街道{n}")
    # 100–899: 000–099 are left to the demo (…001) and 900–999 to tests that name a
    # subdistrict's code themselves (…998 in tests/site/test_search.py, …999 in
    # tests/neighbourhoods/test_pages.py), which a session's thousandth subdistrict
    # would otherwise meet again.
    code = factory.Sequence(lambda n: f"510402{100 + n % 800:03d}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Community

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")
    # 100–999: the codes below 100 are left to tests that name a community's code
    # themselves (tests/neighbourhoods/test_pages.py uses …001 and …002), which a
    # session's thousandth community would otherwise meet again.
    code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.subdistrict.code}{100 + n % 900:03d}"
    )
    slug = factory.Sequence(lambda n: f"community-{n}")


class CompoundFactory(factory.django.DjangoModelFactory):
    """A compound in one community (pass communities=[a, b] for one spanning two)."""

    class Meta:
        model = models.Compound
        skip_postgeneration_save = True

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试小区{n}")
    slug = factory.Sequence(lambda n: f"compound-{n}")

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if not create:
            return
        self.communities.add(
            *(extracted or [CommunityFactory(subdistrict=self.subdistrict)])
        )


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Building

    compound = factory.SubFactory(CompoundFactory)
    community = factory.LazyAttribute(lambda o: o.compound.communities.first())
    number = factory.Sequence(lambda n: str(n + 1))


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Entrance

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: str(n + 1))


class ExclusivePartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ExclusivePart

    building = factory.SubFactory(BuildingFactory)
    entrance = None
    kind = models.ExclusivePart.Kind.DWELLING
    number = factory.Sequence(lambda n: f"{101 + n}")
    area_register = 9000  # 90.00 m²


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    full_name = factory.Sequence(lambda n: f"居民{n}")
    birth_date = dt.date(1980, 1, 1)
    phone = factory.Sequence(lambda n: f"139{n % 100000000:08d}")
    home_community = factory.SubFactory(CommunityFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        id_number = kwargs.pop("id_number", None)
        if id_number:
            kwargs["id_number_hash"] = id_number_hash(id_number)
            kwargs["id_number_last4"] = id_number[-4:]
        return super()._create(model_class, *args, **kwargs)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Household

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: f"H{n:05d}")


class ResidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Residency

    person = factory.SubFactory(PersonFactory)
    household = factory.SubFactory(
        HouseholdFactory, community=factory.SelfAttribute("..person.home_community")
    )
    kind = models.Residency.Kind.REGISTERED


class DeveloperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Developer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试置业有限公司{n}")


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Ownership

    part = factory.SubFactory(ExclusivePartFactory)
    person = factory.SubFactory(PersonFactory)
    developer = None
    basis = models.Ownership.Basis.REGISTERED


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Body

    kind = models.Body.Kind.RESIDENTS_COMMITTEE
    name = factory.Sequence(lambda n: f"组织{n}")
    community = factory.SubFactory(CommunityFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(
        PersonFactory, home_community=factory.SelfAttribute("..body.community")
    )
    role = models.Membership.Role.MEMBER


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StaffAssignment

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    subdistrict = None
    role = models.StaffAssignment.Role.EDITOR
