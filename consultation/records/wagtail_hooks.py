"""What the register's Wagtail pages list from the decision records: a community's
matters and a party body's published decisions (hooks the register pages call; the
register imports nothing of this capability)."""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks

from neighbourhoods.models import Community
from yishi.privacy import scrub

from . import selectors

PAGE_LIMIT = 10


def _item(matter) -> dict:
    state = matter.get_status_display()
    if matter.follows_procedure and matter.awaiting_step:
        state = f"{state} · 待进行：{matter.get_awaiting_step_display()}"
    return {
        "title": scrub(matter.title),
        "url": reverse("records:matter", kwargs={"matter_id": matter.pk}),
        "state": state,
    }


@hooks.register("yishi_community_matters")
def community_matters(community_id: int) -> list[dict]:
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return []
    return [
        _item(m) for m in selectors.matters_of_community(community, limit=PAGE_LIMIT)
    ]


@hooks.register("yishi_body_decisions")
def body_decisions(body_id: int) -> list[dict]:
    return [_item(m) for m in selectors.decisions_of_body(body_id, limit=PAGE_LIMIT)]
