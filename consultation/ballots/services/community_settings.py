"""A community's voting settings: tightened rules, consultative owners' votes.

A setting may tighten a national-law floor, never loosen it; a local or unverified
rule only down to the floor it states; a convening threshold may be lowered, never
raised (`domain.floors.customise` names the law a setting would break).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from consultation.records.domain.categories import Category
from neighbourhoods.permissions import can_change_register
from yishi.audit import audit_record

from ..domain.floors import (
    CeilingViolation,
    FloorViolation,
    InvalidOverride,
    customise,
)
from ..domain.rules import FAMILIES, RULES_BY_ID
from ..models import CommunityVotingSettings
from .errors import BallotError, BallotForbidden

SETTING_NAMES = frozenset(
    {
        "owners_votes_consultative",
        "count_parking_area",
        "count_parking_only_owners",
        "blank_invalid_participate",
        "silent_owners_follow_majority",
        "rule_overrides",
        # Decision records (consultation.records).
        "siyi_enabled",
        "siyi_merge_first_steps",
        "siyi_categories",
        "proposal_agenda_days",
        "consultation_notice_days",  # consultation.consultations
        "room_observers_admitted",  # consultation.rooms
        "room_invited_may_speak",
    }
)
ROOM_SETTINGS = frozenset({"room_observers_admitted", "room_invited_may_speak"})
MAX_AGENDA_DAYS = 365


def voting_settings_of(community) -> CommunityVotingSettings:
    found = CommunityVotingSettings.objects.filter(community=community).first()
    return found or CommunityVotingSettings(community=community)


def overrides_for(all_overrides: dict, rule_id: str) -> dict:
    """The community's changes to one rule (named by its id or its family), checked
    again against the floors and ceilings as they stand today (a setting saved
    before a floor was stated is refused, 422, before a ballot snapshots it)."""
    if not rule_id:
        return {}
    family = RULES_BY_ID[rule_id].family if rule_id in RULES_BY_ID else rule_id
    changes = all_overrides.get(rule_id) or all_overrides.get(family) or {}
    if changes:
        rule_overrides_check({rule_id: changes})
    return changes


def rule_overrides_check(overrides: object) -> dict:
    """Validate a community's rule settings against every version of each rule.

    Raises BallotError (422) whose message, in Chinese then English, names the law
    a setting would break: ``below_floor`` (a quorum or majority loosened below the
    law or a stated floor), ``above_ceiling`` (a convening threshold raised).
    """
    if not isinstance(overrides, dict):
        raise BallotError(
            _("规则设置格式不正确。 Malformed rule settings."), status=422
        )
    for name, changes in overrides.items():
        versions = FAMILIES.get(name) or (
            (RULES_BY_ID[name],) if name in RULES_BY_ID else None
        )
        if versions is None or not isinstance(changes, dict):
            raise BallotError(
                _("未知的表决规则：%(name)s。 Unknown rule.") % {"name": name},
                status=422,
            )
        for rule in versions:
            try:
                customise(rule, changes)
            except FloorViolation as error:
                raise BallotError(str(error), code="below_floor", status=422) from None
            except CeilingViolation as error:
                raise BallotError(
                    str(error), code="above_ceiling", status=422
                ) from None
            except InvalidOverride as error:
                raise BallotError(
                    _("规则设置无效：%(reason)s Invalid rule setting.")
                    % {"reason": error},
                    code="invalid_rule",
                    status=422,
                ) from None
    return overrides


def records_settings_check(changes: dict) -> None:
    """The decision records' settings: known categories, a sensible number of days."""
    categories = changes.get("siyi_categories", [])
    if not isinstance(categories, list) or not set(categories) <= set(Category):
        raise BallotError(_("事项类别不正确。 Unknown matter categories."), status=422)
    days = changes.get("proposal_agenda_days", 1)
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not (1 <= days <= MAX_AGENDA_DAYS)
    ):
        raise BallotError(
            _("列入议程的期限须为 1 至 365 天。 Days must be between 1 and 365."),
            status=422,
        )
    notice = changes.get("consultation_notice_days", 5)
    if isinstance(notice, bool) or not isinstance(notice, int) or not 1 <= notice <= 60:
        raise BallotError(
            _("协商通知天数须为 1 至 60 天。 Notice days must be between 1 and 60."),
            status=422,
        )


@transaction.atomic
def voting_settings_update(*, community, actor, **changes) -> CommunityVotingSettings:
    """Change a community's voting settings; a loosened national floor is refused."""
    if actor is not None and not can_change_register(actor, community):
        raise BallotForbidden(
            _("您无权修改本社区的表决设置。 You may not change these settings.")
        )
    unknown = set(changes) - SETTING_NAMES
    if unknown:
        raise BallotError(
            _("未知的设置：%(names)s。 Unknown settings.")
            % {"names": ", ".join(sorted(unknown))},
            status=422,
        )
    if "rule_overrides" in changes:
        rule_overrides_check(changes["rule_overrides"])
    records_settings_check(changes)
    if any(
        not isinstance(changes[name], bool) for name in set(changes) & ROOM_SETTINGS
    ):
        raise BallotError(_("会议室设置须为是或否。 Yes or no."), status=422)
    voting, _created = (
        CommunityVotingSettings.objects.select_for_update().get_or_create(
            community=community
        )
    )
    for name, value in changes.items():
        setattr(voting, name, value)
    voting.updated_by = actor
    voting.save()
    audit_record(
        actor=actor,
        action="voting_settings_update",
        target=voting,
        community_id=community.pk,
        detail={"changed": sorted(changes)},
    )
    return voting
