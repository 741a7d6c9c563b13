"""Filters of the liaison pages: masking, and a request's state as residents read
it."""

from django import template
from django.utils.translation import gettext as _

from consultation.liaison.models import LiaisonRequest
from yishi.templatetags.privacy import masked_phone, scrubbed

register = template.Library()
register.filter("scrubbed", scrubbed)
register.filter("masked_phone", masked_phone)

_LABELS = dict(LiaisonRequest.States.choices)


@register.filter
def state_label(state: str) -> str:
    if state == "overdue":
        return _("已逾期")
    return str(_LABELS.get(state, state))
