"""Liaison stations, reception days (接待日) and grid workers' logins.

A reception day is announced at least `YISHI_LIAISON_RECEPTION_NOTICE_DAYS` (3 by
default, RULES.md §5.2 [LOCAL]) calendar days ahead: the announcement day is not
counted, so announcing on the 1st allows the 4th at the earliest. Announcing one
makes the register pages' cached content stale (representative pages list them).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from neighbourhoods import register_cache
from neighbourhoods.models import Community, Grid, Representative
from yishi.audit import audit_record

from .. import permissions
from ..domain.receptions import SUMMARY_LIMIT, has_taken_place, latest_day
from ..errors import LiaisonError, forbidden, invalid
from ..models import GridWorker, LiaisonStation, ReceptionDay
from .common import clean_text, local_day, reception_notice_days


@transaction.atomic
def station_create(
    *,
    actor,
    community: Community,
    name: str,
    address: str = "",
    office_hours: str = "",
    representative_ids=(),
) -> LiaisonStation:
    if not permissions.can_manage_receptions(actor, community):
        raise forbidden()
    station = LiaisonStation.objects.create(
        community=community,
        name=clean_text(name, name_zh="名称", name_en="name", limit=100),
        address=clean_text(
            address, name_zh="地址", name_en="address", limit=200, required=False
        ),
        office_hours=clean_text(
            office_hours, name_zh="开放时间", name_en="hours", limit=200, required=False
        ),
    )
    station.representatives.set(
        Representative.objects.filter(pk__in=representative_ids)
    )
    audit_record(
        actor=actor,
        action="liaison_station_create",
        target=station,
        community_id=community.pk,
    )
    register_cache.register_changed()
    return station


def _checked_day(day, starts, ends, today) -> None:
    if day is None or starts is None or ends is None:
        raise invalid(
            "请填写日期和起止时间。 Give the date and the hours.", code="when"
        )
    if ends <= starts:
        raise invalid(
            "结束时间应晚于开始时间。 The end is after the start.", code="hours"
        )
    notice = reception_notice_days()
    earliest = today + timedelta(days=notice)
    if day < earliest:
        raise invalid(
            f"接待日至少提前 {notice} 天公告，最早为 {earliest:%Y-%m-%d}。"
            f" A reception day is announced at least {notice} days ahead:"
            f" {earliest} at the earliest.",
            code="notice",
        )
    latest = latest_day(today)
    if day > latest:
        raise invalid(
            f"接待日最多提前一年公告，最晚为 {latest:%Y-%m-%d}，请检查年份。"
            f" A reception day is announced at most a year ahead:"
            f" {latest} at the latest; check the year.",
            code="too_far",
        )


@transaction.atomic
def reception_day_announce(
    *, actor, station_id, day, starts, ends, place: str, representative_ids, now=None
) -> ReceptionDay:
    now = now or timezone.now()
    station = (
        LiaisonStation.objects.select_related("community").filter(pk=station_id).first()
    )
    if station is None:
        raise invalid("请选择联络站。 Choose a station.", code="station")
    if not permissions.can_manage_receptions(actor, station.community):
        raise forbidden()
    _checked_day(day, starts, ends, local_day(now))
    reps = list(Representative.objects.filter(pk__in=representative_ids or []))
    if not reps:
        raise invalid(
            "请选择接待的代表委员。 Choose who attends.", code="representatives"
        )
    reception = ReceptionDay.objects.create(
        station=station,
        day=day,
        starts=starts,
        ends=ends,
        announced_on=local_day(now),
        place=clean_text(place, name_zh="地点", name_en="place", limit=200),
    )
    reception.representatives.set(reps)
    audit_record(
        actor=actor,
        action="reception_day_announce",
        target=reception,
        community_id=station.community_id,
        detail={"day": day.isoformat()},
    )
    register_cache.register_changed()
    return reception


def _reception_locked(reception_id) -> ReceptionDay:
    reception = (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("station__community")
        .filter(pk=reception_id)
        .first()
    )
    if reception is None:
        raise LiaisonError(
            "没有这个接待日。 No such reception day.", status=404, code="not_found"
        )
    return reception


@transaction.atomic
def reception_day_summarise(
    *, actor, reception_id, summary: str, now=None
) -> ReceptionDay:
    """What happened on a past reception day (接待日小结, the representative's
    activity record): by the community's editors or a representative who attended,
    once the reception has ended. A published summary is not silently rewritten: a
    correction is marked on the page (`summary_corrected_at`) and the audit line
    keeps the text it replaced, so nothing written is lost."""
    now = now or timezone.now()
    reception = _reception_locked(reception_id)
    if not permissions.can_summarise(actor, reception):
        raise forbidden(
            "只有本社区工作人员或参加接待的代表委员可以填写小结。"
            " Only the community's staff or an attending representative write it."
        )
    local = timezone.localtime(now)
    if not has_taken_place(reception.day, reception.ends, local.date(), local.time()):
        raise LiaisonError(
            "接待日还没有结束，结束后才能填写小结。"
            " The reception day has not ended yet.",
            status=409,
            code="future",
        )
    previous = reception.summary
    reception.summary = clean_text(
        summary, name_zh="小结", name_en="summary", limit=SUMMARY_LIMIT
    )
    if previous and previous != reception.summary:
        reception.summary_corrected_at = now
    reception.save(update_fields=["summary", "summary_corrected_at"])
    audit_record(
        actor=actor,
        action="reception_day_summarise",
        target=reception,
        community_id=reception.station.community_id,
        detail={"replaced": previous} if previous else {},
    )
    register_cache.register_changed()
    return reception


@transaction.atomic
def grid_worker_assign(*, actor, user, grid: Grid) -> GridWorker:
    """Make `user` the grid's worker login (网格员); staff of the grid's community."""
    if not permissions.can_manage_receptions(actor, grid.community):
        raise forbidden()
    worker, _created = GridWorker.objects.update_or_create(
        user=user, defaults={"grid": grid}
    )
    audit_record(
        actor=actor,
        action="grid_worker_assign",
        target=worker,
        community_id=grid.community_id,
    )
    return worker
