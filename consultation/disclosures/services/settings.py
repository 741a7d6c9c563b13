"""A community's disclosure settings (review window, display period ≥ 7 days, reply
days, periodic due days): the sibling of the voting settings, same rules — a floor
is never loosened (`domain.rules`), the admin shows the flagged ones as needing
legal review."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from neighbourhoods.permissions import can_change_register
from yishi.audit import audit_record

from ..domain.rules import DAY_SETTINGS, SettingRefused
from ..models import DisclosureSettings
from .errors import DisclosureForbidden, invalid


def disclosure_settings_of(community) -> DisclosureSettings:
    found = DisclosureSettings.objects.filter(community=community).first()
    return found or DisclosureSettings(community=community)


def _refusal(error: SettingRefused):
    setting = error.setting
    if error.code == "below_floor":
        return invalid(
            _(
                "%(name)s 不能少于 %(floor)s 日（%(law)s）。"
                " %(name)s may not be below %(floor)s days."
            )
            % {"name": setting.name, "floor": setting.minimum, "law": setting.law},
            "below_floor",
        )
    return invalid(
        _("%(name)s 须为 %(low)s 至 %(high)s 之间的整数（日）。 Out of range.")
        % {"name": setting.name, "low": setting.minimum, "high": setting.maximum},
        error.code,
    )


@transaction.atomic
def disclosure_settings_update(*, community, actor, **changes) -> DisclosureSettings:
    """Change a community's disclosure settings; a value below its floor is 422."""
    if actor is not None and not can_change_register(actor, community):
        raise DisclosureForbidden(
            _("您无权修改本社区的公开设置。 You may not change these settings.")
        )
    unknown = set(changes) - set(DAY_SETTINGS)
    if unknown:
        raise invalid(
            _("未知的设置：%(names)s。 Unknown settings.")
            % {"names": ", ".join(sorted(unknown))}
        )
    for name, value in changes.items():
        try:
            DAY_SETTINGS[name].check(value)
        except SettingRefused as error:
            raise _refusal(error) from None
    found, _created = DisclosureSettings.objects.select_for_update().get_or_create(
        community=community
    )
    for name, value in changes.items():
        setattr(found, name, value)
    found.updated_by = actor
    found.save()
    audit_record(
        actor=actor,
        action="disclosure_settings_update",
        target=found,
        community_id=community.pk,
        detail=dict(sorted(changes.items())),
    )
    return found
