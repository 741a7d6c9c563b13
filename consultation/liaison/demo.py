"""The liaison's part of `manage.py seed_demo` (阳光社区), dated relative to the day
it runs, so that "coming", "overdue" and "due soon" are so today:

* a liaison station with the `deputy` login's representative, two past reception days
  (with what happened) and two coming ones (announced a week before each);
* a `gridworker` login (网格员) for the community's first grid;
* a dozen requests in every state: submitted, registered, classified, referred,
  in progress, one overdue, one overdue and supervised (督办), replied (the `resident`
  login's, waiting for their rating), rated, closed, reopened, one answered on the
  spot — written through the services with `now` in the past. Some are published
  anonymised in the archive;
* two petition-like requests (`demo_petitions.py`): one waiting to be accepted, with
  its acceptance date (受理期限), and one extended once by 30 days (延期).

Idempotent: a community that has requests is left as it is (the logins are set
again); the petitions are each created once, found by their titles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from neighbourhoods.demo.context import DEMO_PASSWORD, DemoContext, DemoLogin
from neighbourhoods.demo.data.places import YG
from neighbourhoods.models import Community, Representative

from . import services
from .demo_petitions import seed_petitions
from .models import GridWorker, LiaisonRequest, LiaisonStation

SALT = "yishidemo2026"
Draft = services.Draft

# (title, category, text, public, how far it goes, days ago submitted)
REQUESTS = (
    (
        "小区东门路灯不亮",
        "facilities",
        "东门两盏路灯坏了两周，晚上出入不安全。",
        True,
        "submitted",
        1,
    ),
    (
        "垃圾分类点异味大",
        "environment",
        "3 号楼旁垃圾分类点夏天异味很大。",
        True,
        "registered",
        3,
    ),
    (
        "希望增设老年食堂",
        "social",
        "社区老人多，希望附近有老年助餐点。",
        True,
        "classified",
        4,
    ),
    (
        "楼道堆放杂物",
        "safety",
        "5 号楼一单元楼道堆满纸箱，有火灾隐患。",
        True,
        "referred",
        6,
    ),
    (
        "电动车充电桩不够",
        "facilities",
        "小区只有 10 个充电口，晚上排队。",
        True,
        "in_progress",
        12,
    ),
    ("公交站台没有遮雨棚", "traffic", "阳光花园站下雨天没处躲。", True, "overdue", 40),
    (
        "物业维修基金使用不公开",
        "property",
        "加装电梯的维修基金使用情况没有公示。",
        False,
        "supervised",
        45,
    ),
    ("健身器材损坏", "facilities", "中心花园的漫步机坏了。", False, "replied", 20),
    ("噪音扰民", "environment", "夜间施工噪音大。", True, "rated", 30),
    ("停车位划线不清", "property", "地面车位线模糊，常有纠纷。", True, "closed", 50),
    ("排水沟堵塞", "environment", "下雨后 2 号楼前积水。", False, "reopened", 35),
    ("咨询居住证办理", "social", "租户怎么办居住证？", True, "on_the_spot", 8),
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _grid_worker(community, context: DemoContext):
    User = get_user_model()
    user, _created = User.objects.update_or_create(
        username="gridworker",
        defaults={
            "first_name": "网格员小李",
            "password": make_password(DEMO_PASSWORD, SALT),
        },
    )
    grid = community.grids.order_by("pk").first()
    if (
        grid is not None
        and not GridWorker.objects.filter(user=user, grid=grid).exists()
    ):
        services.grid_worker_assign(actor=None, user=user, grid=grid)
    context.logins.append(
        DemoLogin(
            "gridworker",
            f"阳光社区网格员（{grid.name if grid else '—'}），代居民录入诉求",
            "Grid worker: enters requests on residents' behalf",
        )
    )


def _station(community, rep, today) -> LiaisonStation:
    station = LiaisonStation.objects.filter(community=community).first()
    if station is not None:
        return station
    station = services.station_create(
        actor=None,
        community=community,
        name="阳光社区人大代表联络站",
        address="阳光社区党群服务中心二楼",
        office_hours="工作日 9:00–17:00",
        representative_ids=[rep.pk],
    )
    for offset, summary in (
        (-30, "接待居民 8 人，收集意见 5 条，已全部登记转办。"),
        (-9, "接待居民 5 人，现场答复 2 条。"),
        (5, ""),
        (19, ""),
    ):
        day = today + dt.timedelta(days=offset)
        reception = services.reception_day_announce(
            actor=None,
            station_id=station.pk,
            day=day,
            starts=dt.time(9),
            ends=dt.time(11, 30),
            place="阳光社区党群服务中心二楼",
            representative_ids=[rep.pk],
            now=_at(day - dt.timedelta(days=7)),
        )
        if summary:
            services.reception_day_summarise(
                actor=None, reception_id=reception.pk, summary=summary
            )
    return station


@dataclass(frozen=True)
class Walk:
    """One request's walk: its id, the day it was submitted, who handles and asks."""

    pk: int
    start: dt.date
    staff: object
    resident: object

    @property
    def referred_on(self) -> dt.date:
        return self.start + dt.timedelta(days=1)

    @property
    def replied_on(self) -> dt.date:
        return self.referred_on + dt.timedelta(days=6)


def _register(w: Walk) -> None:
    services.request_register(request_id=w.pk, actor=None, now=_at(w.start, 15))


def _classify(w: Walk, route: str = "community") -> None:
    services.request_classify(
        request_id=w.pk, actor=w.staff, route=route, now=_at(w.start, 16)
    )


def _on_the_spot(w: Walk) -> None:
    _classify(w, "on_the_spot")
    services.request_reply(
        request_id=w.pk,
        actor=w.staff,
        text="可携带租房合同和身份证到社区服务站办理，当场可受理。",
        now=_at(w.start, 16),
    )


def _refer(w: Walk) -> None:
    services.request_refer(
        request_id=w.pk,
        actor=None,
        referred_to="阳光社区居委会",
        assignee_id=w.staff.pk,
        now=_at(w.referred_on),
    )


def _start(w: Walk) -> None:
    services.request_start(request_id=w.pk, actor=w.staff, now=_at(w.referred_on, 14))


def _supervise(w: Walk) -> None:
    due = LiaisonRequest.objects.get(pk=w.pk).due_date
    services.request_supervise(
        request_id=w.pk,
        actor=None,
        note="已逾期，请三日内答复居民。",
        now=_at(due + dt.timedelta(days=2)),
    )


def _reply(w: Walk) -> None:
    services.request_reply(
        request_id=w.pk,
        actor=w.staff,
        text="已安排维修人员处理，现已完成。",
        now=_at(w.replied_on),
    )


def _reopen(w: Walk) -> None:
    services.request_reopen(
        request_id=w.pk,
        actor=w.resident,
        reason="雨后仍然积水，没有解决。",
        now=_at(w.replied_on + dt.timedelta(days=2)),
    )


def _rate(w: Walk) -> None:
    services.request_rate(
        request_id=w.pk,
        actor=w.resident,
        score=4,
        comment="处理及时。",
        now=_at(w.replied_on + dt.timedelta(days=1)),
    )


def _close(w: Walk) -> None:
    services.request_close(
        request_id=w.pk, actor=None, now=_at(w.replied_on + dt.timedelta(days=2))
    )


_HANDLED = (_register, _classify, _refer, _start)
# The acts that bring a request to each state of the demo, in order.
STEPS = {
    "submitted": (),
    "registered": (_register,),
    "classified": (_register, _classify),
    "referred": (_register, _classify, _refer),
    "in_progress": _HANDLED,
    "overdue": _HANDLED,
    "supervised": (*_HANDLED, _supervise),
    "replied": (*_HANDLED, _reply),
    "reopened": (*_HANDLED, _reply, _reopen),
    "rated": (*_HANDLED, _reply, _rate),
    "closed": (*_HANDLED, _reply, _rate, _close),
    "on_the_spot": (_register, _on_the_spot),
}


def _requests(community, rep, station, today) -> None:
    users = get_user_model().objects.in_bulk(
        ["resident", "staff_yangguang"], field_name="username"
    )
    resident, staff = users["resident"], users["staff_yangguang"]
    for title, category, text, public, goal, ago in REQUESTS:
        start = today - dt.timedelta(days=ago)
        target = "representative" if goal != "on_the_spot" else "station"
        request = services.request_submit(
            actor=resident,
            draft=Draft(
                target=target,
                representative_id=rep.pk,
                station_id=station.pk,
                community_id=community.pk,
                category=category,
                title=title,
                text=text,
                public_reply=public,
            ),
            now=_at(start, 9),
        )
        for act in STEPS[goal]:
            act(Walk(request.pk, start, staff, resident))


def seed(*, context: DemoContext) -> list[str]:
    community = Community.objects.get(code=YG)
    rep = Representative.objects.filter(person__user__username="deputy").first()
    today = timezone.localdate()
    _grid_worker(community, context)
    lines = ["代表联络演示 Liaison demo（阳光社区）："]
    if rep is None:
        return [*lines, "  没有 deputy 账号的代表，跳过。 No deputy: skipped."]
    station = _station(community, rep, today)
    if not LiaisonRequest.objects.filter(community=community).exists():
        _requests(community, rep, station, today)
        lines.append("  本次新建诉求 12 条。 12 requests created this run.")
    users = get_user_model().objects.in_bulk(
        ["resident", "staff_yangguang"], field_name="username"
    )
    made = seed_petitions(
        community=community,
        rep=rep,
        resident=users["resident"],
        staff=users["staff_yangguang"],
        today=today,
    )
    if made:
        lines.append(
            f"  本次新建信访类诉求 {made} 条（受理期限、延期）。"
            f" {made} petition-like requests created (acceptance date, extension)."
        )
    lines += [
        f"  诉求统计 statistics: {context.url}liaison/statistics/",
        f"  办理工作台 dashboard (deputy, staff_yangguang): {context.url}"
        "liaison/dashboard/",
        f"  我的诉求 my requests (resident: one waits for a rating): {context.url}"
        "liaison/mine/",
    ]
    return lines
