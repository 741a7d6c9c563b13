"""Masking of personal numbers on pages: `{% load privacy %}`.

Free text typed by residents and staff (a matter's description, a meeting's
record, an objection, a consultation's feedback) is shown on public pages and in
printed records. Each such text goes through `scrubbed` there, so that an ID-card
or mobile number typed into it is shown masked; the stored record is unchanged."""

from django import template

from yishi.privacy import mask_phone, scrub

register = template.Library()


@register.filter(is_safe=True)  # digits become "*": no markup is made
def scrubbed(text) -> str:
    """Phone and ID-card numbers masked (public pages and printed records)."""
    return scrub(str(text or ""))


@register.filter
def masked_phone(phone: str) -> str:
    return mask_phone(phone) if phone else ""
