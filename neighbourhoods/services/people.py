"""Creating and changing people, households, residencies and ownerships.

The ID-card number never reaches the database: a person keeps its keyed hash and its
last four characters (`with_id_number`), and no message repeats it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yishi.audit import audit_record
from yishi.privacy import (
    id_number_checksum_ok,
    id_number_hash,
    normalise_id_number,
    normalise_mobile,
)

from .. import permissions, selectors
from ..models import (
    Community,
    Developer,
    ExclusivePart,
    Household,
    Ownership,
    Person,
    Residency,
    ResidentsGroup,
)
from .common import REFUSED, RegisterError, record_save, require

logger = logging.getLogger(__name__)

BAD_PHONE = _(
    "手机号应为 11 位数字，以 1 开头。 "
    "The mobile number must be 11 digits starting with 1."
)


def with_id_number(person: Person, value: str) -> Person:
    """Put the hash and the last four of an ID-card number on `person` (unsaved)."""
    person.id_number_hash = id_number_hash(value)
    person.id_number_last4 = value[-4:]
    return person


def _checked_id_number(value: str) -> str:
    value = normalise_id_number(value)
    if not id_number_checksum_ok(value):
        raise RegisterError(
            str(
                _(
                    "身份证号格式或校验位不正确。 "
                    "Invalid ID number (format or check digit)."
                )
            ),
            code="invalid_id_number",
        )
    if selectors.id_number_taken(value):
        raise RegisterError(
            str(
                _(
                    "该身份证号已登记在另一位居民名下。 "
                    "This ID number is already registered to another person."
                )
            ),
            code="id_number_taken",
            status=409,
        )
    return value


@transaction.atomic
def person_create(
    *,
    actor,
    community: Community,
    full_name: str,
    id_number: str = "",
    birth_date: dt.date | None = None,
    phone: str = "",
) -> Person:
    """A person of `community`. A bad ID or phone number raises RegisterError or
    ValidationError (nothing written); the message never repeats the number."""
    person = Person(
        home_community=community, full_name=full_name, birth_date=birth_date
    )
    if id_number:
        with_id_number(person, _checked_id_number(id_number))
    if phone:
        person.phone = _normalised_phone(phone)
    return record_save(actor=actor, record=person, action="person_create")


def _normalised_phone(phone: str) -> str:
    normalised = normalise_mobile(phone)
    if normalised is None:
        # The message never repeats the number: it may be someone's real one.
        raise ValidationError(BAD_PHONE, code="invalid_phone")
    return normalised


@transaction.atomic
def person_update_contact(*, actor, person: Person, phone: str) -> Person:
    """Set a person's mobile number; `actor` must be an editor of their community.

    Raises PermissionDenied, or ValidationError (nothing written) for a bad number.
    """
    locked = (
        Person.objects.select_for_update()
        .select_related("home_community")
        .get(pk=person.pk)
    )
    # Asked of the locked row: the person may have moved community meanwhile.
    if not permissions.can_change_person(actor, locked):
        raise PermissionDenied(REFUSED)
    locked.phone = _normalised_phone(phone)
    locked.save(update_fields=["phone"])
    audit_record(
        actor=actor,
        action="person_update_contact",
        target=locked,
        community_id=locked.home_community_id,
        detail={"fields": ["phone"]},
    )
    logger.info(
        "person %s: phone changed by user %s", locked.pk, getattr(actor, "pk", None)
    )
    return locked


@transaction.atomic
def person_link_user(*, actor, person: Person, user) -> Person:
    """Link `person` to a login account (superusers or the system only).

    The account is first unlinked from anyone else: one person per login.
    """
    require(permissions.can_link_login(actor))
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.user_id == user.pk:
        return locked
    for other in Person.objects.select_for_update().filter(user=user):
        other.user = None
        record_save(
            actor=actor, record=other, action="person_unlink_user", fields=["user"]
        )
    locked.user = user
    return record_save(
        actor=actor, record=locked, action="person_link_user", fields=["user"]
    )


@transaction.atomic
def household_create(
    *,
    actor,
    community: Community,
    number: str,
    residents_group: ResidentsGroup | None = None,
    dwelling: ExclusivePart | None = None,
) -> Household:
    record = Household(
        community=community,
        number=number,
        residents_group=residents_group,
        dwelling=dwelling,
    )
    return record_save(actor=actor, record=record, action="household_create")


@transaction.atomic
def residency_create(
    *,
    actor,
    person: Person,
    household: Household,
    kind: str,
    is_representative: bool = False,
    is_group_representative: bool = False,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Residency:
    record = Residency(
        person=person,
        household=household,
        kind=kind,
        is_representative=is_representative,
        is_group_representative=is_group_representative,
        start_date=start_date,
        end_date=end_date,
    )
    return record_save(actor=actor, record=record, action="residency_create")


@transaction.atomic
def ownership_create(
    *,
    actor,
    part: ExclusivePart,
    basis: str,
    person: Person | None = None,
    developer: Developer | None = None,
    nominated_voter: bool = False,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Ownership:
    """A holder of `part`: a person (one row per co-owner) or the developer."""
    record = Ownership(
        part=part,
        person=person,
        developer=developer,
        basis=basis,
        nominated_voter=nominated_voter,
        start_date=start_date,
        end_date=end_date,
    )
    return record_save(actor=actor, record=record, action="ownership_create")
