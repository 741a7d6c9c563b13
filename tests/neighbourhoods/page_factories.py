"""Factories for the register pages' tests: grids and representatives."""

import factory

from neighbourhoods import models

from .factories import CommunityFactory, PersonFactory


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Grid

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}网格")
    worker_name = factory.Sequence(lambda n: f"网格员{n}")
    worker_phone = factory.Sequence(lambda n: f"137{n % 100000000:08d}")


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Representative
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    kind = models.Representative.Kind.PEOPLES_CONGRESS
    level = models.Representative.Level.DISTRICT

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.add(*extracted)
