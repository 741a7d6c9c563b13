"""承诺: a resident, or a household through its representative, acknowledges the
version in force. Once per person and per household for each version."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..domain.lifecycle import PLEDGEABLE, State
from ..models import Pledge
from .common import lock_version
from .errors import PactError, forbidden


def _not_in_force(state: str) -> PactError:
    if state in (State.REPEALED, State.AMENDED):
        message = _(
            "该版本已废止或已被修订，不能再承诺；请承诺现行版本。"
            " This version was repealed or amended: pledge to the one in force."
        )
    else:
        message = _("该版本尚未施行，不能承诺。 This version is not in force yet.")
    return PactError(message, code="not_in_force", status=409)


@transaction.atomic
def pledge_make(
    *, version_id: int, actor, for_household: bool = False, now=None
) -> Pledge:
    version = lock_version(version_id, manage=False)
    if version.state not in PLEDGEABLE:
        raise _not_in_force(version.state)
    person = permissions.person_of(actor)
    if person is None or not permissions.lives_in_scope(actor, version.page):
        raise forbidden()
    residency = (
        permissions.residencies_in_scope(person, version.page)
        .select_related("household__dwelling__building")
        .order_by("-is_representative", "pk")
        .first()
    )
    household = residency.household if residency else None
    if for_household and not (residency and residency.is_representative):
        raise PactError(
            _("只有户代表可以代表全户承诺。 Only the household's representative."),
            code="not_representative",
            status=403,
        )
    building = household.dwelling.building if household and household.dwelling else None
    pledge = Pledge(
        version=version,
        person=None if for_household else person,
        household=household if for_household else None,
        building=building,
        compound_id=building.compound_id if building else None,
        pledged_at=now or timezone.now(),
    )
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        raise PactError(
            _("已经承诺过了。 Already pledged."), code="already_pledged", status=409
        ) from None
    return pledge
