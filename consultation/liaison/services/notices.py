"""Who hears of a request's change, and the time-driven overdue notices.

Every change notifies through `yishi.notifications` (in-site, and by text message or
e-mail as each user chose). `overdue_notify` — run by `manage.py liaison_notify`
every few minutes — records one `OverdueNotice` per request and missed date (a unique
row) before notifying, so however often it runs each overdue request is announced
once to its assignee, its handlers and the subdistrict's staff. The missed date is
the reply due date of a running request, or the acceptance date (受理期限) of a
petition-like request still not accepted (`domain.lifecycle.missed_deadline`); a
petition late in both is announced once for each.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import StaffAssignment
from yishi.audit import audit_record
from yishi.notifications.services import notify
from yishi.notifications.topics import register

from ..domain.lifecycle import RUNNING, UNACCEPTED
from ..models import LiaisonRequest, OverdueNotice
from .common import local_day

TOPIC_MINE = register("liaison_mine", "我的诉求办理进展 / progress of my requests")
TOPIC_HANDLING = register(
    "liaison_handling", "交给我办理或督办的诉求 / requests I handle or supervise"
)


def _url(request: LiaisonRequest) -> str:
    return reverse("liaison:request", kwargs={"request_id": request.pk})


def handlers(request: LiaisonRequest) -> list:
    """The community's register editors and the addressed representative's login."""
    users = list(
        get_user_model().objects.filter(
            staff_assignments__community_id=request.community_id,
            staff_assignments__role=StaffAssignment.Role.EDITOR,
        )
    )
    rep = request.representative
    if rep is not None and rep.person.user_id:
        users.append(rep.person.user)
    return users


def tell_resident(request: LiaisonRequest, title: str, body: str = "") -> None:
    users = [request.resident, request.entered_by if request.entered_by_id else None]
    notify(
        users=[u for u in users if u is not None],
        topic=TOPIC_MINE,
        title=f"{title}：{request.title}",
        body=body,
        url=_url(request),
    )


def tell_handlers(request: LiaisonRequest, title: str, extra=()) -> None:
    notify(
        users=[*handlers(request), *extra],
        topic=TOPIC_HANDLING,
        title=f"{title}：{request.title}",
        url=_url(request),
    )


def _subdistrict_staff(request: LiaisonRequest) -> list:
    return list(
        get_user_model().objects.filter(
            staff_assignments__subdistrict_id=request.community.subdistrict_id
        )
    )


# (states, the date field that runs in them, the notice's title): late acceptances
# first, then late replies.
_LATE = (
    (UNACCEPTED, "accept_due_date", "信访事项逾期未受理，请督办"),
    (RUNNING, "due_date", "诉求已逾期，请督办"),
)


def _late(today):
    """(request, missed date, title) of every overdue request not yet announced for
    that date."""
    for states, field, title in _LATE:
        found = (
            LiaisonRequest.objects.filter(
                state__in=[s.value for s in states], **{f"{field}__lt": today}
            )
            .exclude(overdue_notices__due_date=F(field))
            .select_related("community", "representative__person__user", "assignee")
            .order_by(field, "pk")
        )
        for request in found:
            yield request, getattr(request, field), title


def overdue_notify(*, now=None) -> list[OverdueNotice]:
    """Record and send one notice per overdue request and missed date; idempotent."""
    now = now or timezone.now()
    sent = []
    for request, missed, title in _late(local_day(now)):
        try:
            with transaction.atomic():
                notice = OverdueNotice.objects.create(
                    request=request, due_date=missed, sent_at=now
                )
                audit_record(
                    actor=None,
                    action="liaison_overdue_notify",
                    target=request,
                    community_id=request.community_id,
                    detail={"due": missed.isoformat()},
                )
                extra = [request.assignee, *_subdistrict_staff(request)]
                tell_handlers(request, title, extra=extra)
        except IntegrityError:
            continue  # another run recorded it first
        sent.append(notice)
    return sent
