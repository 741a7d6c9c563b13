"""Template filters for ballot pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from consultation.ballots.models import Channel

register = template.Library()

OFFICIAL = _("官方表决系统")


@register.filter
def channel_label(value: str) -> str:
    """The display name of a voting channel stored in a tally ("online" → 网上投票)."""
    if value == "official":
        return OFFICIAL
    try:
        return Channel(value).label
    except ValueError:
        return value
