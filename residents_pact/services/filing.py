"""Filing (备案) with the authority, entry into force, repeal.

Nothing is in force without the passing vote's record and the filing record; a
newer version entering force supersedes the one before (修订), which stays in the
history.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from yishi.uploads import UploadRefused, upload_check

from .. import permissions
from ..domain.lifecycle import Action, Facts, State
from ..models import PactFiling, PactVersion
from .adoption import vote_passed
from .common import audit, lock_page, lock_version, move, today_of
from .disclosing import disclose
from .errors import PactError, forbidden, invalid, kept_text


@transaction.atomic
def filing_record(
    *, version_id: int, authority: str, filed_on, receipt, actor, record_url: str = ""
) -> PactFiling:
    """The filing with the district government or street office, its receipt kept
    privately (checked by content and size); disclosed on the board."""
    version = lock_version(version_id, actor=actor)
    authority = kept_text(authority, "authority", 100)
    if not authority:
        raise invalid(_("请填写备案机关。 Name the filing authority."), "authority")
    if filed_on is None:
        raise invalid(_("请填写备案日期。 Give the filing date."), "filed_on")
    if version.adopted_on and filed_on < version.adopted_on:
        raise invalid(
            _("备案日期不能早于通过日期。 Filed before it was adopted?"), "filed_on"
        )
    if not receipt:
        raise invalid(_("请上传备案回执。 Upload the filing receipt."), "receipt")
    try:
        receipt = upload_check(receipt)
    except UploadRefused as error:
        raise PactError(error.message, code=error.code, status=error.status) from None
    move(version, Action.FILE)
    receipt.seek(0)
    digest = hashlib.sha256(receipt.read()).hexdigest()
    receipt.seek(0)
    filing = PactFiling(
        version=version,
        authority=authority,
        filed_on=filed_on,
        receipt_sha256=digest,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    filing.receipt.save("receipt", receipt, save=False)
    filing.save()
    version.filing = filing
    version.filing_entry = disclose(version, actor, "filing", record_url)
    version.save(update_fields=["state", "filing_entry"])
    audit(actor, "pact_filing_record", version, authority=authority, sha256=digest)
    return filing


@transaction.atomic
def force_enter(*, version_id: int, actor, from_day=None) -> PactVersion:
    """In force from `from_day`: the version in force before is superseded."""
    version = lock_version(version_id, actor=actor)
    facts = Facts(
        vote_passed=vote_passed(version),
        filed=PactFiling.objects.filter(version=version).exists(),
    )
    move(version, Action.ENTER_FORCE, facts)
    day = today_of(from_day)
    previous = (
        PactVersion.objects.select_for_update()
        .filter(page_id=version.page_id, state=State.IN_FORCE)
        .first()
    )
    if previous is not None:
        move(previous, Action.SUPERSEDE)
        previous.ended_on = day
        previous.save(update_fields=["state", "ended_on"])
    version.in_force_from = day
    version.save(update_fields=["state", "in_force_from"])
    audit(
        actor, "pact_force_enter", version, superseded=getattr(previous, "number", None)
    )
    return version


@transaction.atomic
def pact_repeal(*, page_id: int, actor, today=None) -> PactVersion:
    page = lock_page(page_id)
    if not permissions.can_manage(actor, page):
        raise forbidden()
    version = page.versions.select_for_update().filter(state=State.IN_FORCE).first()
    if version is None:
        raise PactError(
            _("没有现行有效的版本。 No version in force."),
            code="nothing_in_force",
            status=409,
        )
    move(version, Action.REPEAL)
    version.ended_on = today_of(today)
    version.save(update_fields=["state", "ended_on"])
    audit(actor, "pact_repeal", version)
    return version
