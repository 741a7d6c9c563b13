"""The demo's petition-like requests (信访类, 《信访工作条例》), dated from today:

* one referred six days ago to a district bureau and not yet accepted, so its
  acceptance date (受理期限, 15 days) shows on the request, "my requests" and the
  dashboard's "due soon";
* one referred 40 days ago, taken up, and extended once by 30 days (延期) with the
  reason the resident was told.

Each is created once, found again by its title, so running the demo twice changes
nothing; both are written through the services with `now` in the past.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .models import LiaisonRequest

WAITING = "小区外道路施工长期占道"
EXTENDED = "老旧小区改造进度缓慢"
EXTENSION_REASON = "涉及规划、住建两个部门，需联合现场勘查后答复。"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _referred(title: str, text: str, start: dt.date, ctx: dict) -> LiaisonRequest:
    request = services.request_submit(
        actor=ctx["resident"],
        draft=services.Draft(
            target="representative",
            representative_id=ctx["rep"].pk,
            community_id=ctx["community"].pk,
            category="traffic" if title == WAITING else "facilities",
            title=title,
            text=text,
            public_reply=False,
        ),
        now=_at(start, 9),
    )
    services.request_register(request_id=request.pk, actor=None, now=_at(start, 15))
    services.request_classify(
        request_id=request.pk, actor=ctx["staff"], route="referred", now=_at(start, 16)
    )
    return services.request_refer(
        request_id=request.pk,
        actor=None,
        referred_to="区住房和城乡建设局",
        assignee_id=ctx["staff"].pk,
        profile="petition",
        now=_at(start + dt.timedelta(days=1)),
    )


def _extended(today: dt.date, ctx: dict) -> None:
    start = today - dt.timedelta(days=41)
    request = _referred(EXTENDED, "改造工程开工半年，外墙和管网还没动。", start, ctx)
    referred_on = start + dt.timedelta(days=1)
    services.request_start(
        request_id=request.pk, actor=ctx["staff"], now=_at(referred_on, 14)
    )
    services.request_extend(
        request_id=request.pk,
        actor=None,
        reason=EXTENSION_REASON,
        now=_at(referred_on + dt.timedelta(days=35)),
    )


def seed_petitions(*, community, rep, resident, staff, today: dt.date) -> int:
    """Create the demo's two petitions where missing; how many were created."""
    ctx = {"community": community, "rep": rep, "resident": resident, "staff": staff}
    existing = set(
        LiaisonRequest.objects.filter(
            community=community, title__in=[WAITING, EXTENDED]
        ).values_list("title", flat=True)
    )
    if WAITING not in existing:
        _referred(
            WAITING,
            "小区南门外道路施工围挡两个月，人行道被占，老人出行不便。",
            today - dt.timedelta(days=7),
            ctx,
        )
    if EXTENDED not in existing:
        _extended(today, ctx)
    return 2 - len(existing)
