"""Meetings called, ledgers filed (filled from the register where it has the
data), and the clean-up record (四取消)."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import permissions, selectors
from ..models import (
    Authority,
    Cancellation,
    LedgerFiling,
    LedgerTemplate,
    MeetingNotice,
)
from .common import audit, local_day, text
from .errors import conflict, forbidden, invalid

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@transaction.atomic
def meeting_notice_record(
    *,
    community,
    called_by: Authority,
    actor,
    title: str,
    held_on,
    consent_by: str = "",
    consent_on=None,
) -> MeetingNotice:
    """Record a meeting community leaders were called to, with the subdistrict
    head's consent (name and day together, or neither)."""
    if not (
        permissions.can_act_for_community(actor, community)
        or permissions.is_member(actor, called_by)
    ):
        raise forbidden()
    consent_by = text(consent_by, 100, "", required=False)
    if bool(consent_by) != (consent_on is not None):
        raise invalid(
            _(
                "街道主要负责人同意须同时写明姓名和日期。 The consent needs both "
                "the name and the day."
            )
        )
    notice = MeetingNotice.objects.create(
        community=community,
        called_by=called_by,
        title=text(title, 200, _("会议")),
        held_on=held_on,
        consent_by=consent_by,
        consent_on=consent_on,
    )
    audit(actor, "meeting_notice_record", notice, community_id=community.pk)
    return notice


@transaction.atomic
def ledger_template_register(
    *,
    district,
    department: Authority,
    actor,
    title: str,
    register_fields=(),
    other_fields=(),
) -> LedgerTemplate:
    if not permissions.can_keep_district(actor, district):
        raise forbidden()
    unknown = set(register_fields) - set(selectors.REGISTER_FIGURES)
    if unknown:
        raise invalid(_("名册中没有这项数据。 The register has no such figure."))
    template = LedgerTemplate.objects.create(
        district=district,
        department=department,
        title=text(title, 200, _("台账报表")),
        register_fields=list(register_fields),
        other_fields=[text(f, 100, _("栏目")) for f in other_fields],
    )
    audit(actor, "ledger_template_register", template)
    return template


@transaction.atomic
def ledger_file(
    *,
    template: LedgerTemplate,
    community,
    actor,
    period: str,
    values=None,
    now=None,
) -> LedgerFiling:
    """File a ledger: register figures are taken from the register, the others
    as given (each required)."""
    if not permissions.can_act_for_community(actor, community):
        raise forbidden()
    values = dict(values or {})
    missing = [f for f in template.other_fields if str(values.get(f, "")).strip() == ""]
    if missing:
        raise invalid(
            _("请填写：%(fields)s。 Fill in: %(fields)s.")
            % {"fields": "、".join(missing)}
        )
    if not PERIOD.match(period or ""):
        raise invalid(
            _("期间须为“年-月”，如 2026-03。 The period is a month: 2026-03.")
        )
    filled = {f: str(values[f])[:200] for f in template.other_fields}
    filled.update(selectors.register_figures(community, template.register_fields))
    try:
        with transaction.atomic():
            filing = LedgerFiling.objects.create(
                template=template,
                community=community,
                period=period,
                values=filled,
                filed_on=local_day(now),
            )
    except IntegrityError as error:
        raise conflict(
            _("本期已报送。 Already filed for this period."), code="duplicate"
        ) from error
    audit(actor, "ledger_file", filing, community_id=community.pk)
    return filing


@transaction.atomic
def cancellation_record(
    *, district, actor, category: str, title: str, cancelled_on, basis: str = ""
) -> Cancellation:
    if not permissions.can_keep_district(actor, district):
        raise forbidden()
    if category not in Cancellation.Category.values:
        raise invalid(_("没有这个类别。 No such category."))
    item = Cancellation.objects.create(
        district=district,
        category=category,
        title=text(title, 200, _("事项")),
        basis=text(basis, 300, "", required=False),
        cancelled_on=cancelled_on,
    )
    audit(actor, "cancellation_record", item, category=category)
    return item
