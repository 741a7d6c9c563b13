"""Liaison stations, reception days, grid workers and residents' requests (诉求).

Representatives themselves stay in the register (`neighbourhoods.Representative`,
their Wagtail pages); this capability adds where and when they receive residents
and what residents ask of them. A request's state moves only through
`consultation.liaison.services` (the lifecycle of `domain/lifecycle.py`); being
overdue is read from `due_date` and today, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Building, Community, Grid, Person, Representative
from yishi.uploads import private_file_field

from .domain.due import Profile
from .domain.lifecycle import Route, State


class LiaisonStation(models.Model):
    """代表联络站 / 委员工作室: where representatives meet the residents."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="liaison_stations"
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    representatives = models.ManyToManyField(
        Representative,
        blank=True,
        related_name="liaison_stations",
        verbose_name=_("进站代表委员"),
    )

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name


class ReceptionDay(models.Model):
    """接待日: a date, a place and who attends, announced ahead (RULES.md §5.2)."""

    station = models.ForeignKey(
        LiaisonStation, on_delete=models.PROTECT, related_name="reception_days"
    )
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始时间"))
    ends = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    representatives = models.ManyToManyField(
        Representative, related_name="reception_days", verbose_name=_("接待代表委员")
    )
    announced_on = models.DateField(_("公告日期"))
    summary = models.TextField(_("活动情况"), blank=True)
    # Set when a written summary is replaced: the page says it was corrected, and
    # the audit log keeps the text it replaced.
    summary_corrected_at = models.DateTimeField(
        _("小结更正时间"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["day", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="reception_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.place}"


class GridWorker(models.Model):
    """网格员: a login that works a grid and enters requests for its residents."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grid_worker"
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="workers")

    class Meta:
        verbose_name = _("网格员账号")
        verbose_name_plural = _("网格员账号")

    def __str__(self) -> str:
        return f"{self.grid} {self.user}"


class LiaisonRequest(models.Model):
    """A resident's request or opinion (诉求 / 意见建议) and its handling."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上提交")
        RECEPTION = "reception_day", _("接待日当面反映")
        STATION = "station", _("联络站")
        GRID = "grid", _("网格员代为提交")

    class Target(models.TextChoices):
        REPRESENTATIVE = "representative", _("代表委员")
        COMMUNITY = "community", _("社区")
        STATION = "station", _("联络站")

    class Category(models.TextChoices):
        ENVIRONMENT = "environment", _("环境卫生")
        PROPERTY = "property", _("物业管理")
        FACILITIES = "facilities", _("公共设施")
        TRAFFIC = "traffic", _("交通出行")
        SAFETY = "safety", _("治安安全")
        SOCIAL = "social", _("民生保障")
        OTHER = "other", _("其他")

    class States(models.TextChoices):
        SUBMITTED = State.SUBMITTED.value, _("已提交")
        REGISTERED = State.REGISTERED.value, _("已登记")
        CLASSIFIED = State.CLASSIFIED.value, _("已分类")
        REFERRED = State.REFERRED.value, _("已转办")
        IN_PROGRESS = State.IN_PROGRESS.value, _("办理中")
        SUPERVISED = State.SUPERVISED.value, _("督办中")
        REPLIED = State.REPLIED.value, _("已答复")
        RATED = State.RATED.value, _("已评价")
        CLOSED = State.CLOSED.value, _("已办结")
        REOPENED = State.REOPENED.value, _("重新办理")

    class Routes(models.TextChoices):
        ON_THE_SPOT = Route.ON_THE_SPOT.value, _("当场答复")
        COMMUNITY = Route.COMMUNITY.value, _("社区办理")
        REFERRED = Route.REFERRED.value, _("转交有关部门")
        DEPUTY_SUGGESTION = Route.DEPUTY_SUGGESTION.value, _("作为代表建议办理")

    class Profiles(models.TextChoices):
        DEPUTY_SUGGESTION = (
            Profile.DEPUTY_SUGGESTION.value,
            _("代表建议（3 个月，复杂的 6 个月）"),
        )
        PETITION = Profile.PETITION.value, _("信访事项（15 日告知受理，60 日办结）")
        COMMUNITY_LOCAL = Profile.COMMUNITY_LOCAL.value, _("社区承诺期限")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="liaison_requests"
    )
    target = models.CharField(_("提交给"), max_length=20, choices=Target.choices)
    representative = models.ForeignKey(
        Representative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    station = models.ForeignKey(
        LiaisonStation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    reception_day = models.ForeignKey(
        ReceptionDay,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_requests",
        verbose_name=_("提出人账号"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_requests",
    )
    resident_name = models.CharField(_("提出人"), max_length=50)
    resident_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_requests_entered",
        verbose_name=_("代为录入人"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_reply = models.BooleanField(_("答复可匿名公开"), default=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=States.choices, default=State.SUBMITTED
    )
    route = models.CharField(
        _("办理方式"), max_length=20, choices=Routes.choices, blank=True
    )
    profile = models.CharField(
        _("期限依据"), max_length=20, choices=Profiles.choices, blank=True
    )
    complex_case = models.BooleanField(_("复杂事项"), default=False)
    referred_to = models.CharField(_("承办单位"), max_length=100, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_assigned",
        verbose_name=_("承办人"),
    )
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    accept_due_date = models.DateField(_("受理期限"), null=True, blank=True)
    due_certain = models.BooleanField(default=True)
    due_law = models.CharField(_("期限依据说明"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    supervised_at = models.DateTimeField(null=True, blank=True)
    extended_at = models.DateTimeField(_("延期时间"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    supervision_note = models.TextField(_("督办意见"), blank=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_days = models.PositiveIntegerField(_("答复用时（天）"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("居民诉求")
        verbose_name_plural = _("居民诉求")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "state"]),
            models.Index(fields=["state", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="liaison_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class RequestImage(models.Model):
    """A photo attached to a request: checked by content, stored privately."""

    request = models.ForeignKey(
        LiaisonRequest, on_delete=models.CASCADE, related_name="images"
    )
    file = private_file_field(_("图片"), folder="liaison")

    class Meta:
        verbose_name = _("诉求图片")
        verbose_name_plural = _("诉求图片")

    def __str__(self) -> str:
        return f"{self.request_id}/{self.pk}"


class OverdueNotice(models.Model):
    """That a request's overdue notice was sent: once per request and due date."""

    request = models.ForeignKey(
        LiaisonRequest, on_delete=models.CASCADE, related_name="overdue_notices"
    )
    due_date = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "due_date"], name="liaison_overdue_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.due_date}"
