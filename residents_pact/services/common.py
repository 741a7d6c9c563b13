"""Shared by the pact services: locking a version, the page, the audit line."""

from __future__ import annotations

from django.utils import timezone

from yishi.audit import audit_record

from .. import permissions
from ..domain.lifecycle import NO_FACTS, Action, Facts, TransitionRefused, transition
from ..models import PactPage, PactVersion
from .errors import PactError, forbidden, not_found, refused


def today_of(today=None):
    return today or timezone.localdate()


def lock_page(page_id: int) -> PactPage:
    page = PactPage.objects.select_for_update().filter(pk=page_id).first()
    if page is None:
        raise not_found()
    return page


def lock_version(version_id: int, *, actor=None, manage: bool = True) -> PactVersion:
    version = (
        PactVersion.objects.select_for_update(of=("self",))
        .select_related("page")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise PactError(_no_version(), code="not_found", status=404)
    if manage and not permissions.can_manage(actor, version.page):
        raise forbidden()
    return version


def _no_version() -> str:
    from django.utils.translation import gettext as _

    return _("没有这个公约版本。 No such version.")


def move(version: PactVersion, action: Action, facts: Facts = NO_FACTS) -> None:
    try:
        version.state = transition(version.state, action, facts)
    except TransitionRefused as error:
        raise refused(error) from None


def audit(actor, action: str, version: PactVersion, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=version,
        community_id=version.page.community_id,
        detail={"number": version.number, "state": version.state, **detail},
    )


__all__ = ["audit", "lock_page", "lock_version", "move", "not_found", "today_of"]
