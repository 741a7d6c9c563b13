"""Filters of the liaison pages: masking, and a request's state as residents read
it."""

from django import template
from django.utils.translation import gettext as _

from consultation.liaison.models import LiaisonRequest
from yishi.privacy import mask_phone, scrub

register = template.Library()

_LABELS = dict(LiaisonRequest.States.choices)


@register.filter
def scrubbed(text: str) -> str:
    """Phone and ID-card numbers masked (public pages)."""
    return scrub(text or "")


@register.filter
def masked_phone(phone: str) -> str:
    return mask_phone(phone) if phone else ""


@register.filter
def state_label(state: str) -> str:
    if state == "overdue":
        return _("已逾期")
    return str(_LABELS.get(state, state))
