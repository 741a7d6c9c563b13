"""The district's lists by version: drafted, filled, published, never edited after
(a change is a new version, domain.lists)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.deadlines.domain import MAX_DAYS

from .. import permissions
from ..domain import lists as rules
from ..models import ListItem, ListVersion
from .common import audit, local_day, text
from .errors import conflict, forbidden, invalid, not_found


def _domain(version: ListVersion) -> rules.Version:
    return rules.Version(
        version.number, version.effective_from, version.published_at is not None
    )


def _locked(version_id: int) -> ListVersion:
    version = ListVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise not_found()
    return version


def _refuse_published(version: ListVersion) -> None:
    if not rules.may_edit(_domain(version)):
        raise conflict(
            _(
                "已发布的清单不能修改，请发布新版本。 A published list is never "
                "edited: publish a new version."
            ),
            code="published",
        )


@transaction.atomic
def list_version_create(*, district, effective_from, actor, document="") -> ListVersion:
    """A draft version, starting as a copy of the latest version's items."""
    if not permissions.can_keep_district(actor, district):
        raise forbidden()
    latest = (
        ListVersion.objects.select_for_update()
        .filter(district=district)
        .order_by("-number")
        .first()
    )
    version = ListVersion.objects.create(
        district=district,
        number=(latest.number + 1) if latest else 1,
        effective_from=effective_from,
        document=text(document, 200, _("发布文件"), required=False),
    )
    if latest is not None:
        ListItem.objects.bulk_create(
            ListItem(
                **{
                    field.name: getattr(item, field.name)
                    for field in ListItem._meta.concrete_fields
                    if field.name not in ("id", "version")
                },
                version=version,
            )
            for item in latest.items.all()
        )
    audit(actor, "list_version_create", version, number=version.number)
    return version


def _check_validity(days) -> None:
    """A certificate's validity: a certificate issued under it must end within
    the longest period the deadlines allow (yishi.deadlines), or issuing fails."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise invalid(
            _("有效期须为 1 至 %(max)s 天。 Validity: 1 to %(max)s days.")
            % {"max": MAX_DAYS}
        )


@transaction.atomic
def list_item_add(*, version_id: int, actor, kind: str, **fields) -> ListItem:
    version = _locked(version_id)
    if not permissions.can_keep_district(actor, version.district):
        raise forbidden()
    _refuse_published(version)
    if kind not in ListItem.Kind.values:
        raise invalid(_("没有这种清单。 No such list."))
    title = text(fields.pop("title", ""), 200, _("事项名称"))
    basis = text(fields.pop("legal_basis", ""), 300, _("依据"))
    if kind == ListItem.Kind.CERTIFICATE and not fields.get("verifiable_facts"):
        raise invalid(
            _(
                "证明事项须写明社区能核实的事实。 A certificate needs the facts the "
                "community can verify."
            )
        )
    _check_validity(fields.get("validity_days"))
    position = version.items.filter(kind=kind).aggregate(m=Max("position"))["m"] or 0
    item = ListItem.objects.create(
        version=version,
        kind=kind,
        position=position + 1,
        title=title,
        legal_basis=basis,
        **fields,
    )
    audit(actor, "list_item_add", item, version=version.number, kind=kind)
    return item


@transaction.atomic
def list_item_update(*, item_id: int, actor, **fields) -> ListItem:
    """Change a draft's item; refused (409) once its version is published."""
    item = ListItem.objects.select_related("version").filter(pk=item_id).first()
    if item is None:
        raise not_found()
    version = _locked(item.version_id)
    if not permissions.can_keep_district(actor, version.district):
        raise forbidden()
    _refuse_published(version)
    allowed = {"title", "legal_basis", "funds_follow", "form", "department"}
    allowed |= {"verifiable_facts", "validity_days"}
    for name, value in fields.items():
        if name not in allowed:
            raise invalid(_("不能修改这一项。 This field cannot be changed."))
        setattr(item, name, value)
    _check_validity(item.validity_days)
    item.save()
    audit(actor, "list_item_update", item, fields=sorted(fields))
    return item


@transaction.atomic
def list_version_publish(*, version_id: int, actor, now=None) -> ListVersion:
    version = _locked(version_id)
    if not permissions.can_keep_district(actor, version.district):
        raise forbidden()
    others = [_domain(v) for v in version.district.list_versions.all()]
    refusal = rules.may_publish(_domain(version), others, local_day(now))
    if refusal == "published":
        _refuse_published(version)
    if refusal is not None:
        raise invalid(
            _(
                "施行日期须不早于今天，并晚于已发布的版本。 The effective date must "
                "be today or later, and after every published version's."
            ),
            code=refusal,
        )
    if not version.items.exists():
        raise invalid(_("清单没有事项。 The list has no items."), code="empty")
    version.published_at = now or timezone.now()
    version.save(update_fields=["published_at"])
    audit(actor, "list_version_publish", version, number=version.number)
    return version
