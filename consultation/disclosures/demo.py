"""The disclosure board's part of `manage.py seed_demo` (阳光社区), dated relative
to the day it runs, so that "late" and "overdue" are so today:

* the monthly finance disclosures of the last three months: the first published on
  time, the second late (after its due date), the third on time — or, in the first
  days of a month, not yet published and still due;
* an implementation plan published two days ago, open for objections, with an
  objection by the `owner` login answered the next day;
* an objection by the `resident` login to the late finance disclosure, never
  answered: overdue, escalated (its notice recorded by `escalations_notify`).

Written through the services with `now` in the past, in publication order, so the
chain verifies. Idempotent: a community whose chain has entries is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.demo.context import DemoContext
from neighbourhoods.demo.data.places import YG
from neighbourhoods.models import Community

from . import selectors, services
from .dates import days_after, local_day
from .domain.schedule import Cadence, completed_periods
from .models import DisclosureEntry

FINANCE_TEXT = (
    "一、收入：上级拨付社区工作经费 {income} 元。\n"
    "二、支出：办公用品 {office} 元，为民服务活动 {service} 元。\n"
    "三、结余：{rest} 元。\n明细账目可到社区居委会查阅。"
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _publish(community, *, when: dt.datetime, **fields) -> DisclosureEntry:
    entry = services.disclosure_draft(community=community, actor=None, **fields)
    services.disclosure_submit(
        entry_id=entry.pk, actor=None, now=when - dt.timedelta(days=6)
    )
    services.disclosure_review(
        entry_id=entry.pk, actor=None, approve=True, opinion="同意公开。"
    )
    return services.disclosure_publish(entry_id=entry.pk, actor=None, now=when)


def _finance(community, period, when: dt.datetime, n: int) -> DisclosureEntry:
    income, office, service = 12000 + 500 * n, 1800 + 90 * n, 4200 + 150 * n
    return _publish(
        community,
        when=when,
        kind=DisclosureEntry.Kind.FINANCE,
        period=period.key,
        title=f"{period.first_day.year}年{period.first_day.month}月财务收支公开",
        text=FINANCE_TEXT.format(
            income=income,
            office=office,
            service=service,
            rest=income - office - service,
        ),
    )


def _finances(community, today: dt.date) -> list[DisclosureEntry]:
    due_days = services.disclosure_settings_of(community).periodic_due_days
    oldest, middle, latest = reversed(completed_periods(Cadence.MONTHLY, today, 3))
    published = [
        _finance(community, oldest, _at(oldest.last_day + dt.timedelta(5), 9), 0)
    ]
    late_day = days_after(middle.last_day, due_days).last_day + dt.timedelta(3)
    published.append(_finance(community, middle, _at(late_day, 9), 1))
    on_time = latest.last_day + dt.timedelta(3)
    if on_time < today - dt.timedelta(2):
        published.append(_finance(community, latest, _at(on_time, 9), 2))
    return published


def seed(*, context: DemoContext) -> list[str]:
    community = Community.objects.get(code=YG)
    lines = ["居务公开演示 Disclosure board demo（阳光社区）："]
    if not DisclosureEntry.objects.filter(
        community=community, seq__isnull=False
    ).exists():
        _write(community)
        lines.append("  本次新建公开事项。 Disclosures created this run.")
    verdict = selectors.chain_verdict(community.pk)
    lines += [
        f"  公开栏 board: {context.url}disclosures/{community.slug}/",
        f"  定期公开进度 schedule: {context.url}disclosures/{community.slug}/schedule/",
        f"  公开链核验 chain: {verdict.describe()}",
    ]
    return lines


def _write(community) -> None:
    users = get_user_model().objects.in_bulk(
        ["resident", "owner"], field_name="username"
    )
    today = local_day()
    finances = _finances(community, today)
    late = finances[1]
    services.objection_file(
        entry_id=late.pk,
        actor=users["resident"],
        text="办公用品支出比上月多，请公布明细。",
        now=_at(late.display_from + dt.timedelta(1), 15),
    )
    plan_day = today - dt.timedelta(2)
    plan = _publish(
        community,
        when=_at(plan_day, 10),
        kind=DisclosureEntry.Kind.IMPLEMENTATION,
        title="阳光花园3栋加装电梯实施方案公示",
        text="经业主表决通过，3栋1单元加装电梯。施工单位、工期和费用分摊见方案全文，"
        "请于公示期内提出意见。",
    )
    objection = services.objection_file(
        entry_id=plan.pk,
        actor=users["owner"],
        text="施工期间低层住户的出行如何安排？",
        now=_at(plan_day, 15),
    )
    services.objection_reply(
        objection_id=objection.pk,
        actor=None,
        text="施工期间保留单元入口通道，每日8时至18时施工，详见补充说明。",
        now=_at(plan_day + dt.timedelta(1), 11),
    )
    services.escalations_notify()
