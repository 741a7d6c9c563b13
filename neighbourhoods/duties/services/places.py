"""The levels above the subdistrict and their bodies: city, district (县区), the
authorities (leadership group and office, civil affairs, departments) and who
works for them. Written by operators (actor None) and superusers."""

from __future__ import annotations

from django.db import transaction

from neighbourhoods.models import City, District, Subdistrict

from ..models import Authority
from .common import audit
from .errors import forbidden


def _superuser(actor) -> bool:
    return actor is None or (actor.is_authenticated and actor.is_superuser)


@transaction.atomic
def district_ensure(
    *, actor, city_code: str, city_name: str, code: str, name: str, slug: str
) -> District:
    if not _superuser(actor):
        raise forbidden()
    city, _ = City.objects.get_or_create(code=city_code, defaults={"name": city_name})
    district, created = District.objects.get_or_create(
        code=code, defaults={"city": city, "name": name, "slug": slug}
    )
    if created:
        audit(actor, "district_ensure", district)
    return district


@transaction.atomic
def subdistrict_attach(*, actor, subdistrict: Subdistrict, district: District):
    if not _superuser(actor):
        raise forbidden()
    if subdistrict.district_id != district.pk:
        subdistrict.district = district
        subdistrict.save(update_fields=["district"])
        audit(actor, "subdistrict_attach", subdistrict, district=district.code)
    return subdistrict


@transaction.atomic
def authority_ensure(
    *, actor, city: City, name: str, kind: str, district: District | None = None
) -> Authority:
    if not _superuser(actor):
        raise forbidden()
    level = Authority.Level.DISTRICT if district else Authority.Level.CITY
    authority, created = Authority.objects.get_or_create(
        city=city,
        district=district,
        name=name,
        defaults={"kind": kind, "level": level},
    )
    if created:
        audit(actor, "authority_ensure", authority, kind=kind)
    return authority


@transaction.atomic
def authority_member_add(*, actor, authority: Authority, user) -> None:
    if not _superuser(actor):
        raise forbidden()
    if not authority.members.filter(pk=user.pk).exists():
        authority.members.add(user)
        audit(actor, "authority_member_add", authority, user=user.get_username())
