"""Template filters for ballot pages."""

from django import template

from consultation.ballots.exports.labels import channel_label as _channel_label

register = template.Library()


@register.filter
def channel_label(value: str) -> str:
    """The display name of a voting channel stored in a tally ("online" → 网上投票)."""
    return _channel_label(value)
