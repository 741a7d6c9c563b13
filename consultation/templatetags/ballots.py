"""Template filters for ballot pages."""

from django import template

from consultation.ballots.domain.thresholds import parse_fraction as _parse_fraction
from consultation.ballots.domain.wording import cut_decimal as _cut_decimal
from consultation.ballots.exports.labels import channel_label as _channel_label

register = template.Library()


@register.filter
def channel_label(value: str) -> str:
    """The display name of a voting channel stored in a tally ("online" → 网上投票)."""
    return _channel_label(value)


@register.filter
def score_text(value) -> str:
    """An exact score stored as "p/q" (older frozen tallies) as a decimal: "3.50"."""
    try:
        return _cut_decimal(_parse_fraction(str(value)))
    except (ValueError, ZeroDivisionError):
        return ""
