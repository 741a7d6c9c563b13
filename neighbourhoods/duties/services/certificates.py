"""Certificates under the district's list, refusals naming the department
responsible, and the seal-use log (domain.seal)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.deadlines import calendar
from yishi.deadlines.domain import period_end

from .. import permissions, selectors
from ..domain import seal as rules
from ..models import (
    AdmissionRequest,
    CertificateRefusal,
    IssuedCertificate,
    ListItem,
    SealUse,
)
from .common import audit, local_day, next_number, text
from .errors import forbidden, invalid, not_found

SEAL_MESSAGES = {
    rules.SealRefusal.NO_REASON: _(
        "用印须写明清单内的事由。 A seal use needs a listed reason."
    ),
    rules.SealRefusal.KIND_NOT_LISTED: _(
        "该证明不在本区证明事项清单内，不能用印。 The certificate is not on the "
        "district's list: the seal may not be used."
    ),
    rules.SealRefusal.DOCUMENT_NOT_APPROVED: _(
        "该文件未经准入，不能用印。 The document was not approved through admission: "
        "the seal may not be used."
    ),
}


def _lock_community(community) -> None:
    type(community).objects.select_for_update().filter(pk=community.pk).first()


def _seal_check(use: rules.SealUse) -> None:
    refusal = rules.seal_refusal(use)
    if refusal is not None:
        raise invalid(str(SEAL_MESSAGES[refusal]), code=str(refusal))


@transaction.atomic
def certificate_issue(
    *,
    community,
    kind_id: int,
    holder: str,
    facts: str,
    actor,
    approver: str,
    now=None,
) -> IssuedCertificate:
    """Issue a listed certificate and log the seal put on it."""
    if not permissions.can_act_for_community(actor, community):
        raise forbidden()
    day = local_day(now)
    listed = selectors.listed_certificate_ids(community, day)
    _seal_check(
        rules.SealUse(
            reason=rules.Reason.CERTIFICATE, kind_id=kind_id, listed_kind_ids=listed
        )
    )
    kind = ListItem.objects.get(pk=kind_id)
    _lock_community(community)
    valid_until = None
    if kind.validity_days:
        valid_until = period_end(day, kind.validity_days, calendar()).last_day
    certificate = IssuedCertificate.objects.create(
        community=community,
        kind=kind,
        number=next_number(
            IssuedCertificate.objects.all(), f"{community.code}-ZM-{day.year}-"
        ),
        token=secrets.token_hex(16),
        holder=text(holder, 100, _("申请人")),
        facts=text(facts, 2000, _("证明内容")),
        issued_on=day,
        valid_until=valid_until,
    )
    SealUse.objects.create(
        community=community,
        reason=SealUse.Reason.CERTIFICATE,
        certificate=certificate,
        requester=certificate.holder,
        approver=text(approver, 100, _("批准人")),
        document_sha256=hashlib.sha256(certificate.facts.encode()).hexdigest(),
        used_at=now or timezone.now(),
    )
    audit(
        actor,
        "certificate_issue",
        certificate,
        community_id=community.pk,
        kind=kind.title,
    )
    return certificate


@transaction.atomic
def certificate_refuse(
    *, community, requested: str, actor, department: str = "", now=None
) -> CertificateRefusal:
    """A request for a certificate not on the list: a notice naming the department
    responsible (the negative list's, else the one staff name). Anyone signed in
    may ask; a listed kind is not refused."""
    if actor is not None and not actor.is_authenticated:
        raise forbidden()
    requested = text(requested, 200, _("申请证明事项"))
    day = local_day(now)
    titles = selectors.listed_certificate_titles(community, day)
    if requested in titles:
        raise invalid(
            _(
                "该证明在本区证明事项清单内，请到社区办理。 This certificate is on "
                "the list: the community issues it."
            ),
            code="listed",
        )
    named = department.strip() or rules.responsible_department(requested) or ""
    if not named:
        named = _("依法负责该事项的行政机关（可向%(district)s民政局咨询）") % {
            "district": selectors.district_name(community)
        }
    _lock_community(community)
    refusal = CertificateRefusal.objects.create(
        community=community,
        requested=requested,
        department=text(named, 200, _("负责部门")),
        number=next_number(
            CertificateRefusal.objects.all(), f"{community.code}-BCJ-{day.year}-"
        ),
        refused_on=day,
    )
    audit(actor, "certificate_refuse", refusal, community_id=community.pk)
    return refusal


@transaction.atomic
def seal_use_record(
    *,
    community,
    actor,
    reason: str,
    requester: str,
    approver: str,
    admission_id: int | None = None,
    document: bytes = b"",
    now=None,
) -> SealUse:
    """A seal use for an approved document (certificates log theirs when issued)."""
    if not permissions.can_act_for_community(actor, community):
        raise forbidden()
    admission = None
    if admission_id is not None:
        admission = (
            AdmissionRequest.objects.filter(pk=admission_id, communities=community)
            .only("id", "state")
            .first()
        )
        if admission is None:
            raise not_found()
    approved = admission is not None and admission.state in (
        AdmissionRequest.State.ADMITTED,
        AdmissionRequest.State.IN_FORCE,
    )
    if reason == rules.Reason.CERTIFICATE:
        reason = ""  # a certificate's seal is logged by certificate_issue only
    _seal_check(rules.SealUse(reason=reason, document_approved=approved))
    use = SealUse.objects.create(
        community=community,
        reason=SealUse.Reason.APPROVED_DOCUMENT,
        admission=admission,
        requester=text(requester, 100, _("用印申请人")),
        approver=text(approver, 100, _("批准人")),
        document_sha256=hashlib.sha256(document).hexdigest() if document else "",
        used_at=now or timezone.now(),
    )
    audit(actor, "seal_use_record", use, community_id=community.pk)
    return use
