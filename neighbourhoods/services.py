"""Writes to the register. The only code that changes it; each function is atomic,
locks the row it changes and asks `permissions` first (services never skip it).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yishi.privacy import normalise_mobile

from . import permissions
from .models import Person

logger = logging.getLogger(__name__)


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
        raise PermissionDenied
    normalised = normalise_mobile(phone)
    if normalised is None:
        # The message never repeats the number: it may be someone's real one.
        raise ValidationError(
            _(
                "手机号应为 11 位数字，以 1 开头。 "
                "The mobile number must be 11 digits starting with 1."
            ),
            code="invalid_phone",
        )
    locked.phone = normalised
    locked.save(update_fields=["phone"])
    logger.info("person %s: phone changed by user %s", locked.pk, actor.pk)
    return locked
