"""The consultations' part of `manage.py seed_demo`, dated relative to today.

In 阳光社区, through the services as `staff_yangguang`:

- a consultation in progress: participants confirmed, notice given two days ago,
  the session scheduled after the notice period;
- a completed one (an owners' consultation on a matter the owners must still vote
  on): session, opinion with positions and dissent, implementation, result
  published, and the `resident` login's feedback.

Found by community and title: one that exists is left as it is (a second run
writes nothing).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from neighbourhoods.demo.context import DemoContext
from neighbourhoods.demo.data.places import YG
from neighbourhoods.models import Community
from yishi import deadlines

from . import services
from .domain.notice import notice_check
from .models import Consultation

STAFF = "staff_yangguang"
RESIDENT = "resident"
IN_PROGRESS = "小区南门外早市占道经营整治"
COMPLETED = "阳光花园电梯加装意向征集"
PARTICIPANTS = [
    services.ParticipantInput("group", "社区党委", "牵头"),
    services.ParticipantInput("group", "阳光社区居民委员会", "组织"),
    services.ParticipantInput("group", "阳光花园业主委员会"),
    services.ParticipantInput("group", "物业服务企业"),
    services.ParticipantInput("person", "居民代表张建国", "3号楼"),
    services.ParticipantInput("person", "居民代表李秀英", "5号楼"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _start(community, staff, title, category, form, description, notice_on, session):
    consultation = services.consultation_create(
        community=community,
        actor=staff,
        title=title,
        source="residents",
        category=category,
        form=form,
        description=description,
    )
    ids = {"consultation_id": consultation.pk, "actor": staff}
    services.consultation_confirm(participants=PARTICIPANTS, **ids)
    services.consultation_notice(
        notice_on=notice_on,
        session_at=session,
        place="阳光社区党群服务中心一楼议事厅",
        text=f"定于{session:%Y年%m月%d日 %H:%M}就“{title}”召开协商会议，"
        "请各参与方准时参加。",
        **ids,
    )
    return consultation, ids


def _in_progress(community, staff, today):
    notice_on = today - dt.timedelta(days=2)
    days = services.notice_days_of(community)
    earliest = notice_check(notice_on, days, deadlines.calendar()).earliest_session
    _start(
        community,
        staff,
        IN_PROGRESS,
        "vital_interests",
        "council",
        "早市占用南门外人行道，居民反映噪音和通行不便。",
        notice_on,
        _at(earliest + dt.timedelta(days=3), 19),
    )


def _completed(community, staff, today):
    held = today - dt.timedelta(days=25)
    _consultation, ids = _start(
        community,
        staff,
        COMPLETED,
        "owners_renovation",
        "owners",
        "多栋住宅楼无电梯，老年居民上下楼困难。",
        today - dt.timedelta(days=40),
        _at(held, 19),
    )
    services.consultation_session(
        held_at=_at(held, 19),
        place="阳光社区党群服务中心一楼议事厅",
        expected=12,
        present=10,
        text="听取各方对加装电梯的意见，讨论费用分摊原则。",
        **ids,
    )
    services.consultation_opinion(
        opinion="多数参与方赞成先开展加装电梯意向征集，按楼层分摊费用；一楼住户的补偿另行协商。",
        positions=[
            services.PositionInput(
                "for", "居民代表张建国、阳光花园业主委员会", "赞成加装，按楼层分摊。"
            ),
            services.PositionInput(
                "against", "一楼住户代表", "担心采光和噪音，要求补偿。"
            ),
            services.PositionInput("other", "物业服务企业", "建议先做结构安全评估。"),
        ],
        dissent="一楼住户代表不同意现行方案；已说明补偿将另行协商。",
        **ids,
    )
    services.consultation_implement(
        text="已委托评估机构做结构安全评估，发放意向征集表。", **ids
    )
    services.consultation_publish_result(
        text="评估完成：3号楼、5号楼具备加装条件；意向征集表已收回，两栋楼同意率均超过三分之二。",
        **ids,
    )
    resident = get_user_model().objects.filter(username=RESIDENT).first()
    if resident is not None and getattr(resident, "person", None) is not None:
        services.feedback_leave(
            consultation_id=ids["consultation_id"],
            actor=resident,
            text="希望尽快公布费用测算，方便我们准备。",
        )


def seed(*, context: DemoContext) -> list[str]:
    community = Community.objects.get(code=YG)
    staff = get_user_model().objects.get(username=STAFF)
    today = timezone.localdate()
    lines = ["协商演示 Consultations demo（阳光社区）："]
    for title, build, note in (
        (IN_PROGRESS, _in_progress, "已发通知，待召开协商会议"),
        (COMPLETED, _completed, "已公开结果，含居民反馈"),
    ):
        found = Consultation.objects.filter(community=community, title=title).first()
        if found is None:
            build(community, staff, today)
            found = Consultation.objects.get(community=community, title=title)
        lines.append(f"  【{note}】{title}")
        lines.append(f"      {context.url}consultations/{found.pk}/")
    return lines
