"""Community duties' part of `manage.py seed_demo` (东区, 攀枝花市):

* the city and 东区 above 炳草岗街道, the leadership groups and their offices, the
  civil affairs bureaus and departments; logins `dept_officer` (东区应急管理局) and
  `duty_office` (东区城乡社区建设领导小组办公室);
* the two lists (a dozen items each) and the certificate list, version 1 in force
  since 2026-01-01;
* one task admitted with its signed agreement and in force in 阳光社区, one request
  refused by the office, one task a community marked "not admitted";
* two certificates issued and one refused (naming the department), with the seal log;
* six months of meetings called and ledgers filed, falling month by month;
* the 四取消 record, and one completed satisfaction assessment of 阳光社区 from a
  published rating ballot of its household representatives.

Dated relative to the day it runs; idempotent (each part looks for its rows first).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from consultation.ballots import services as ballots
from consultation.ballots.demo import minimal_pdf
from consultation.ballots.models import Ballot, RollEntry
from neighbourhoods.demo.context import DEMO_PASSWORD, DemoContext, DemoLogin
from neighbourhoods.demo.data.places import JS, SUBDISTRICT_CODE, YG
from neighbourhoods.demo.write.logins import PASSWORD_SALT
from neighbourhoods.models import Community, Subdistrict
from neighbourhoods.rolls.domain.snapshot import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind

from . import demo_data as data
from . import services
from .domain.assessment import cut_two
from .domain.burden import last_months, month_bounds
from .models import (
    AdmissionRequest,
    Assessment,
    Cancellation,
    CertificateRefusal,
    IndicatorSystem,
    IssuedCertificate,
    LedgerFiling,
    ListVersion,
    MeetingNotice,
    TaskRefusal,
)
from .selectors import listed_certificates

OFFICER, OFFICE = "dept_officer", "duty_office"
RATING_TITLE = "阳光社区2026年度居民满意度测评"
ADMITTED_TITLE = "城镇燃气安全入户宣传和隐患登记"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _user(username: str):
    password = make_password(DEMO_PASSWORD, PASSWORD_SALT)
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"password": password}
    )
    if user.password != password:
        user.password = password
        user.save(update_fields=["password"])
    return user


def _levels():
    district = services.district_ensure(
        actor=None,
        city_code=data.CITY[0],
        city_name=data.CITY[1],
        code=data.DISTRICT[0],
        name=data.DISTRICT[1],
        slug=data.DISTRICT[2],
    )
    services.subdistrict_attach(
        actor=None,
        subdistrict=Subdistrict.objects.get(code=SUBDISTRICT_CODE),
        district=district,
    )
    bodies = {}
    for name, kind in data.CITY_BODIES:
        bodies[name] = services.authority_ensure(
            actor=None, city=district.city, name=name, kind=kind
        )
    for name, kind in data.DISTRICT_BODIES:
        bodies[name] = services.authority_ensure(
            actor=None, city=district.city, name=name, kind=kind, district=district
        )
    for username, body in (
        (OFFICER, "东区应急管理局"),
        (OFFICE, data.DISTRICT_BODIES[1][0]),
    ):
        services.authority_member_add(
            actor=None, authority=bodies[body], user=_user(username)
        )
    return district, bodies


def _lists(district, bodies) -> None:
    if ListVersion.objects.filter(district=district).exists():
        return
    version = services.list_version_create(
        district=district,
        effective_from=dt.date(2026, 1, 1),
        actor=None,
        document="东区社区减负领导小组〔2025〕1号",
    )
    for title, basis, form in data.DUTIES:
        services.list_item_add(
            version_id=version.pk,
            actor=None,
            kind="duty",
            title=title,
            legal_basis=basis,
            form=form,
        )
    for title, basis, department, form in data.ASSISTANCE:
        services.list_item_add(
            version_id=version.pk,
            actor=None,
            kind="assistance",
            title=title,
            legal_basis=basis,
            department=bodies[department],
            funds_follow=True,
            form=form,
        )
    for title, basis, facts, days in data.CERTIFICATES:
        services.list_item_add(
            version_id=version.pk,
            actor=None,
            kind="certificate",
            title=title,
            legal_basis=basis,
            verifiable_facts=facts,
            validity_days=days,
        )
    services.list_version_publish(
        version_id=version.pk, actor=None, now=_at(dt.date(2025, 12, 1))
    )


def _request(bodies, community, title: str, when: dt.date, **fields):
    return services.admission_apply(
        department=bodies[fields.pop("department")],
        actor=None,
        communities=[community],
        title=title,
        starts_on=when + dt.timedelta(days=20),
        now=_at(when),
        **fields,
    )


def _admitted(bodies, yangguang, day: dt.date) -> None:
    """Applied, viewed, consulted, admitted with the agreement, in force."""
    request = _request(
        bodies,
        yangguang,
        ADMITTED_TITLE,
        day,
        department="东区应急管理局",
        reason="燃气安全专项整治需要逐户宣传并登记隐患。",
        legal_basis="《城镇燃气管理条例》第四十一条；川安委〔2023〕5号",
        ends_on=day + dt.timedelta(days=110),
        funds_fen=1_800_000,
        staff=1,
        scope="阳光社区全部住宅楼栋",
        draft_agreement="甲方东区应急管理局拨付工作经费一万八千元并派驻一名工作人员；"
        "乙方阳光社区居民委员会协助入户宣传，隐患由甲方处置。",
    )
    pk = request.pk
    services.admission_subdistrict_view(
        request_id=pk,
        actor=None,
        view="同意，经费人员到位。",
        now=_at(day + dt.timedelta(days=1)),
    )
    services.admission_community_view(
        request_id=pk,
        community=yangguang,
        actor=None,
        agrees=True,
        view="经费和人员随转，可以承接。",
        now=_at(day + dt.timedelta(days=3)),
    )
    services.admission_consult_close(
        request_id=pk, actor=None, now=_at(day + dt.timedelta(days=8))
    )
    services.admission_decide(
        request_id=pk,
        actor=None,
        approve=True,
        now=_at(day + dt.timedelta(days=10)),
        reasons="符合准入条件，费随事转。",
        agreement=ContentFile(
            minimal_pdf("Yishi demo: signed agreement"), name="agreement.pdf"
        ),
    )
    services.admission_enter(
        request_id=pk, actor=None, now=_at(day + dt.timedelta(days=12))
    )


def _refused(bodies, yangguang, day: dt.date) -> None:
    """A department's own statutory work, refused by the office with reasons."""
    request = _request(
        bodies,
        yangguang,
        "食品经营户日常巡查",
        day,
        department="东区市场监督管理局",
        reason="请社区每周巡查辖区食品经营户。",
        legal_basis="《中华人民共和国食品安全法》",
        funds_fen=200_000,
        draft_agreement="甲方拨付巡查补贴两千元，由社区每周巡查并报送巡查表。",
    )
    services.admission_subdistrict_view(
        request_id=request.pk,
        actor=None,
        view="属部门执法职责，不宜转交社区。",
        now=_at(day + dt.timedelta(days=2)),
    )
    services.admission_consult_close(
        request_id=request.pk, actor=None, now=_at(day + dt.timedelta(days=6))
    )
    services.admission_decide(
        request_id=request.pk,
        actor=None,
        approve=False,
        reasons="食品安全监督检查是市场监管部门的法定职责，"
        "不得转嫁社区（民发〔2015〕136号）。",
        now=_at(day + dt.timedelta(days=7)),
    )


def _admissions(bodies, yangguang, months: list[str]) -> None:
    if AdmissionRequest.objects.filter(title=ADMITTED_TITLE).exists():
        return
    _admitted(bodies, yangguang, month_bounds(months[1])[0])
    _refused(bodies, yangguang, month_bounds(months[2])[0])
    received = month_bounds(months[3])[0]
    services.task_refuse(
        community=Community.objects.get(code=JS),
        department=bodies["东区卫生健康局"],
        actor=None,
        title="创卫迎检入户问卷（每户一份）",
        received_on=received,
        now=_at(received + dt.timedelta(days=1)),
    )


def _certificates(yangguang, today: dt.date) -> None:
    if IssuedCertificate.objects.filter(community=yangguang).exists():
        return
    kinds = {k.title: k for k in listed_certificates(yangguang, today)}
    for offset, holder, facts in (
        (35, "王秀兰", "自2019年起在本社区阳光花园实际居住。"),
        (2, "李建国", "2026年在本社区志愿服务组织登记服务48小时。"),
    ):
        kind = kinds["居住情况证明" if offset > 10 else "参加社区志愿服务证明"]
        services.certificate_issue(
            community=yangguang,
            kind_id=kind.pk,
            holder=holder,
            facts=facts,
            actor=None,
            approver="社区居委会主任",
            now=_at(today - dt.timedelta(offset)),
        )
    if not CertificateRefusal.objects.filter(community=yangguang).exists():
        services.certificate_refuse(
            community=yangguang,
            requested="无犯罪记录证明",
            actor=None,
            now=_at(today - dt.timedelta(days=9)),
        )


# Meetings called per month, oldest first: the burden falls.
MEETINGS = (6, 5, 4, 3, 2, 1)
LEDGER_MONTHS = (2, 2, 2, 1, 1, 0)  # templates filed per month


def _burden(district, bodies, months: list[str], today: dt.date) -> None:
    communities = list(Community.objects.filter(code__in=(YG, JS)).order_by("code"))
    if MeetingNotice.objects.filter(community__in=communities).exists():
        return
    templates = [
        services.ledger_template_register(
            district=district,
            department=bodies[department],
            actor=None,
            title=title,
            register_fields=figures,
            other_fields=others,
        )
        for department, title, figures, others in data.LEDGERS
    ]
    for index, key in enumerate(months):
        first = month_bounds(key)[0]
        for shift, community in enumerate(communities):
            for n in range(max(MEETINGS[index] - shift, 0)):
                held = min(first + dt.timedelta(days=2 * n), today)
                services.meeting_notice_record(
                    community=community,
                    called_by=bodies[data.DISTRICT_BODIES[3 + n % 3][0]],
                    actor=None,
                    title=f"{key[5:]}月工作部署会（第{n + 1}次）",
                    held_on=held,
                    consent_by="炳草岗街道办事处主任" if n % 2 == 0 else "",
                    consent_on=held if n % 2 == 0 else None,
                )
            for template in templates[: LEDGER_MONTHS[index]]:
                services.ledger_file(
                    template=template,
                    community=community,
                    actor=None,
                    period=key,
                    values={field: str(3 + index) for field in template.other_fields},
                    now=_at(min(first + dt.timedelta(days=4), today)),
                )
    for category, title, basis in data.CANCELLATIONS:
        services.cancellation_record(
            district=district,
            actor=None,
            category=category,
            title=title,
            basis=basis,
            cancelled_on=dt.date(2026, 3, 31),
        )


def _rating_ballot(yangguang) -> Ballot:
    ballot = Ballot.objects.filter(community=yangguang, title=RATING_TITLE).first()
    if ballot is not None:
        return ballot
    staff = get_user_model().objects.get(username="staff_yangguang")
    ballot = ballots.ballot_create(
        community=yangguang,
        title=RATING_TITLE,
        kind="rating",
        options=["社区工作总体满意度"],
        basis=RollBasis.HOUSEHOLD_REPRESENTATIVES,
        scope=RollScope(ScopeKind.COMMUNITY, yangguang.pk),
        actor=staff,
        description="请为社区居民委员会本年度工作打分（1至5分，5分为最满意）。",
    )
    ballots.ballot_open(ballot_id=ballot.pk, actor=staff)
    option = str(ballot.options.get().pk)
    entries = (
        RollEntry.objects.filter(ballot=ballot, voter__isnull=False)
        .exclude(voter__user__isnull=False)
        .select_related("voter")
        .order_by("key")
    )
    for i, entry in enumerate(list(entries[::6])[:40]):
        ballots.vote_cast(
            ballot_id=ballot.pk,
            voter=entry.voter,
            selection={"ratings": {option: (5, 4, 5, 3, 4)[i % 5]}},
        )
    ballots.ballot_close(ballot_id=ballot.pk, actor=staff)
    ballots.ballot_publish(ballot_id=ballot.pk, actor=staff)
    return ballot


def _assessment(district, yangguang) -> Assessment:
    found = Assessment.objects.filter(community=yangguang).first()
    if found is not None:
        return found
    system = IndicatorSystem.objects.filter(district=district).first()
    if system is None:
        system = services.indicator_system_adopt(
            district=district,
            actor=None,
            name="东区社区工作考核指标体系（2026）",
            adopted_on=dt.date(2026, 1, 1),
            indicators=data.INDICATORS,
        )
    return services.assessment_publish(
        system=system,
        community=yangguang,
        actor=None,
        period="2026年度",
        ballot=_rating_ballot(yangguang),
        # The residents' ratings of answered requests come from the liaison demo.
        other_inputs={
            "lists": {"score": "23/24", "source": "清单事项24项，完成23项"},
        },
    )


def seed(*, context: DemoContext) -> list[str]:
    today = timezone.localdate()
    months = last_months(today, 6)
    district, bodies = _levels()
    yangguang = Community.objects.get(code=YG)
    _lists(district, bodies)
    _admissions(bodies, yangguang, months)
    _certificates(yangguang, today)
    _burden(district, bodies, months, today)
    assessment = _assessment(district, yangguang)
    context.logins += [
        DemoLogin(
            OFFICER,
            "东区应急管理局工作人员（提出准入申请）",
            "Department officer: applies for admission of a task",
        ),
        DemoLogin(
            OFFICE,
            "东区城乡社区建设领导小组办公室（审批准入、考核）",
            "Leadership group's office: decides admissions, assessments",
        ),
    ]
    base = f"{context.url}duties/{district.slug}/"
    counts = (
        f"准入申请 {AdmissionRequest.objects.count()} 份，"
        f"不予承接 {TaskRefusal.objects.count()} 项，"
        f"证明 {IssuedCertificate.objects.count()} 份，"
        f"台账 {LedgerFiling.objects.count()} 份，"
        f"四取消 {Cancellation.objects.count()} 项"
    )
    return [
        "社区减负演示 Community duties demo（东区）：",
        f"  两项清单和证明事项清单 {base}lists/",
        f"  准入登记 {base}register/ · 减负监测 {base}burden/",
        f"  领导小组办公室工作台（duty_office）{base}office/ ·"
        f" 部门申请（dept_officer）{context.url}duties/department/",
        f"  考核 {base}assessments/（阳光社区总分 "
        f"{cut_two(Fraction(assessment.total))}）",
        f"  阳光社区 {context.url}duties/community/{yangguang.slug}/ · {counts}",
    ]
