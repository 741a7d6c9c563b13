"""The kinds of scope a roll is drawn for: the one home of these choices.

A ballot stores its scope as (kind, id); `RollScope` carries the same pair to the roll
selectors. Both use `ScopeKind`, so a new kind is added once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    COMPOUND = "compound", _("小区")
    BUILDING = "building", _("楼栋")
    RESIDENTS_GROUP = "residents_group", _("居民小组")
    BODY = "body", _("组织")


@dataclass(frozen=True)
class RollScope:
    """Where a roll is drawn: a community, compound, building, group or body by id."""

    kind: ScopeKind
    id: int


class RollScopeError(ValueError):
    """The basis does not fit the scope (e.g. owners of a residents' group)."""
