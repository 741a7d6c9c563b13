"""Community duties (RULES.md §7): the authorities above the subdistrict, the
versioned lists, admission requests, certificates and the seal, meetings, ledgers,
the clean-up record and the assessment. Gathered into neighbourhoods.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yishi.uploads import private_file_field

from ..models.places import City, Community, District
from .domain.admission import State as S
from .domain.assessment import Source


class Authority(models.Model):
    """A body above the subdistrict: the leadership group (城乡社区建设领导小组),
    its office, the civil affairs bureau or a department, of a city or a district."""

    class Kind(models.TextChoices):
        LEADERSHIP_GROUP = "leadership_group", _("城乡社区建设领导小组")
        LEADERSHIP_OFFICE = "leadership_office", _("领导小组办公室")
        CIVIL_AFFAIRS = "civil_affairs", _("民政局")
        DEPARTMENT = "department", _("职能部门")

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        DISTRICT = "district", _("县区级")

    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="authorities")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorities",
    )
    name = models.CharField(_("名称"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="duty_authorities",
        verbose_name=_("工作人员"),
    )

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["level", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="city") & Q(district__isnull=True))
                | (Q(level="district") & Q(district__isnull=False)),
                name="authority_level_matches_district",
            ),
            models.UniqueConstraint(
                fields=["city", "district", "name"],
                name="unique_authority_name",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ListVersion(models.Model):
    """One version of a district's lists (the two lists and the certificate list)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="list_versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    effective_from = models.DateField(_("施行日期"))
    document = models.CharField(_("发布文件"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")
        ordering = ["district", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "number"], name="unique_list_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} 第{self.number}版"


class ListItem(models.Model):
    """An item of a version: a duty by law, an assistance matter or a certificate."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("依法履行职责事项")
        ASSISTANCE = "assistance", _("协助政府工作事项")
        CERTIFICATE = "certificate", _("证明事项")

    version = models.ForeignKey(
        ListVersion, on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("清单"), max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("事项名称"), max_length=200)
    legal_basis = models.CharField(_("依据"), max_length=300)
    department = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_items",
        verbose_name=_("责任部门"),
    )
    funds_follow = models.BooleanField(_("经费和工作条件随事转"), default=False)
    form = models.CharField(_("工作方式"), max_length=200, blank=True)
    # Certificates: what the community can verify itself, and how long it holds.
    verifiable_facts = models.CharField(
        _("社区可核实的事实"), max_length=300, blank=True
    )
    validity_days = models.PositiveIntegerField(
        _("有效期（天）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["version", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "position"], name="unique_item_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AdmissionRequest(models.Model):
    """A department's request to bring work outside the lists into communities."""

    class State(models.TextChoices):
        APPLIED = S.APPLIED.value, _("已申请")
        SUBDISTRICT_VIEWED = S.SUBDISTRICT_VIEWED.value, _("街道已提出意见")
        COMMUNITIES_CONSULTED = S.COMMUNITIES_CONSULTED.value, _("已征求社区意见")
        ADMITTED = S.ADMITTED.value, _("准入")
        REFUSED = S.REFUSED.value, _("不予准入")
        IN_FORCE = S.IN_FORCE.value, _("已进入社区")
        COMPLETED = S.COMPLETED.value, _("已完成")
        WITHDRAWN = S.WITHDRAWN.value, _("已撤回")

    department = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="admission_requests"
    )
    title = models.CharField(_("事项"), max_length=200)
    reason = models.TextField(_("理由"))
    legal_basis = models.CharField(_("依据"), max_length=300)
    scope = models.CharField(_("范围"), max_length=300, blank=True)
    communities = models.ManyToManyField(
        Community, related_name="admission_requests", verbose_name=_("涉及社区")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    funds_fen = models.PositiveBigIntegerField(_("随转经费（分）"), default=0)
    staff = models.PositiveIntegerField(_("随转人员"), default=0)
    purchased_service = models.CharField(_("购买服务"), max_length=200, blank=True)
    draft_agreement = models.TextField(_("协议草案"))
    state = models.CharField(
        _("状态"), max_length=30, choices=State.choices, default=State.APPLIED
    )
    subdistrict_view = models.TextField(_("街道意见"), blank=True)
    number = models.CharField(
        _("准入编号"), max_length=60, null=True, blank=True, unique=True
    )
    signed_agreement = private_file_field(
        _("签署的协议"), folder="duties_agreements", blank=True
    )
    decision_reasons = models.TextField(_("审批意见或不予准入理由"), blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    applied_at = models.DateTimeField(_("申请时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("准入申请")
        verbose_name_plural = _("准入申请")
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["department", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def funds_yuan(self) -> str:
        return f"{self.funds_fen // 100}.{self.funds_fen % 100:02d}"


class CommunityView(models.Model):
    """A community's view on an admission request."""

    request = models.ForeignKey(
        AdmissionRequest, on_delete=models.CASCADE, related_name="views"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField(_("同意"))
    text = models.TextField(_("意见"), blank=True)
    given_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("社区意见")
        verbose_name_plural = _("社区意见")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "community"], name="unique_community_view"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.request}"


class TaskRefusal(models.Model):
    """A task that reached a community without admission, marked "not admitted"."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="task_refusals"
    )
    department = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="task_refusals"
    )
    title = models.CharField(_("事项"), max_length=200)
    received_on = models.DateField(_("收到日期"))
    note = models.TextField(_("说明"), blank=True)
    number = models.CharField(_("告知书编号"), max_length=60, unique=True)
    refused_on = models.DateField(_("告知日期"))

    class Meta:
        verbose_name = _("不予承接的事项")
        verbose_name_plural = _("不予承接的事项")
        ordering = ["-refused_on", "-id"]

    def __str__(self) -> str:
        return self.number


class IssuedCertificate(models.Model):
    """A certificate issued under a listed kind; its check page shows only number,
    kind, date and validity."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.ForeignKey(ListItem, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("证明编号"), max_length=60, unique=True)
    token = models.CharField(max_length=32, unique=True)
    holder = models.CharField(_("申请人"), max_length=100)
    facts = models.TextField(_("证明内容"))
    issued_on = models.DateField(_("出具日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("出具的证明")
        verbose_name_plural = _("出具的证明")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class CertificateRefusal(models.Model):
    """A request for a certificate not on the list, answered with a notice naming
    the department responsible."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="certificate_refusals"
    )
    requested = models.CharField(_("申请证明事项"), max_length=200)
    department = models.CharField(_("负责部门"), max_length=200)
    number = models.CharField(_("告知书编号"), max_length=60, unique=True)
    refused_on = models.DateField(_("告知日期"))

    class Meta:
        verbose_name = _("不予出具的证明")
        verbose_name_plural = _("不予出具的证明")
        ordering = ["-refused_on", "-id"]

    def __str__(self) -> str:
        return self.number


class SealUse(models.Model):
    """One use of the community seal, against a listed certificate or an approved
    document (RULES.md §7, 社区印章使用清单)."""

    class Reason(models.TextChoices):
        CERTIFICATE = "certificate", _("清单内证明")
        APPROVED_DOCUMENT = "approved_document", _("经准入的文件")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="seal_uses"
    )
    reason = models.CharField(_("用印事由"), max_length=30, choices=Reason.choices)
    certificate = models.ForeignKey(
        IssuedCertificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seal_uses",
    )
    admission = models.ForeignKey(
        AdmissionRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seal_uses",
    )
    requester = models.CharField(_("用印申请人"), max_length=100)
    approver = models.CharField(_("批准人"), max_length=100)
    seal = models.CharField(_("印章"), max_length=60, default="社区居委会印章（实物）")
    document_sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True)
    used_at = models.DateTimeField(_("用印时间"))

    class Meta:
        verbose_name = _("用印记录")
        verbose_name_plural = _("用印记录")
        ordering = ["-used_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reason="certificate", certificate__isnull=False)
                    & Q(admission__isnull=True)
                )
                | (
                    Q(reason="approved_document", admission__isnull=False)
                    & Q(certificate__isnull=True)
                ),
                name="seal_use_names_its_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.used_at:%Y-%m-%d}"


class MeetingNotice(models.Model):
    """A notice calling community leaders to a meeting, with who called it and the
    subdistrict head's consent."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="meeting_notices"
    )
    title = models.CharField(_("会议"), max_length=200)
    called_by = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("召集单位"),
    )
    held_on = models.DateField(_("会议日期"))
    consent_by = models.CharField(_("街道主要负责人同意"), max_length=100, blank=True)
    consent_on = models.DateField(_("同意日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议通知")
        verbose_name_plural = _("会议通知")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class LedgerTemplate(models.Model):
    """A ledger or report (台账报表) a department asks of communities."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="ledger_templates"
    )
    title = models.CharField(_("台账报表"), max_length=200)
    # Register figures it asks for (keys of selectors.REGISTER_FIGURES).
    register_fields = models.JSONField(_("取自名册的数据"), default=list, blank=True)
    other_fields = models.JSONField(_("须另行填报的数据"), default=list, blank=True)

    class Meta:
        verbose_name = _("台账报表")
        verbose_name_plural = _("台账报表")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class LedgerFiling(models.Model):
    """One filing of a ledger by a community; register figures filled from the
    register (一次采集、多方共享)."""

    template = models.ForeignKey(
        LedgerTemplate, on_delete=models.PROTECT, related_name="filings"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="ledger_filings"
    )
    period = models.CharField(_("期间"), max_length=7)
    values = models.JSONField(_("数据"), default=dict)
    filed_on = models.DateField(_("报送日期"))

    class Meta:
        verbose_name = _("台账报送")
        verbose_name_plural = _("台账报送")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "community", "period"], name="unique_ledger_filing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.period}"


class Cancellation(models.Model):
    """An item cancelled in the clean-up (四取消)."""

    class Category(models.TextChoices):
        TASK = "task", _("取消工作任务")
        APPRAISAL = "appraisal", _("取消评比达标")
        BODY_PLAQUE = "body_plaque", _("取消机构和牌子")
        LEDGER = "ledger", _("取消台账报表")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="cancellations"
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("事项"), max_length=200)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    cancelled_on = models.DateField(_("取消日期"))

    class Meta:
        verbose_name = _("清理取消事项")
        verbose_name_plural = _("清理取消事项")
        ordering = ["-cancelled_on", "-id"]

    def __str__(self) -> str:
        return self.title


class IndicatorSystem(models.Model):
    """A district's indicator system for assessing communities."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="indicator_systems"
    )
    name = models.CharField(_("名称"), max_length=200)
    adopted_on = models.DateField(_("通过日期"))

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")
        ordering = ["-adopted_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    system = models.ForeignKey(
        IndicatorSystem, on_delete=models.CASCADE, related_name="indicators"
    )
    key = models.SlugField(_("代码"))
    name = models.CharField(_("指标"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("权重（%）"))
    source = models.CharField(
        _("数据来源"),
        max_length=30,
        choices=[
            (Source.SATISFACTION_BALLOT.value, _("居民满意度测评")),
            (Source.REQUEST_RATINGS.value, _("居民对诉求办理的评价")),
            (Source.LIST_COMPLETION.value, _("两项清单完成情况")),
            (Source.MANUAL.value, _("其他（注明来源）")),
        ],
    )

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["system", "-weight", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "key"], name="unique_indicator_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A community's assessment for a period, published with its inputs."""

    system = models.ForeignKey(
        IndicatorSystem, on_delete=models.PROTECT, related_name="assessments"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.CharField(_("考核期间"), max_length=20)
    # {key: {"score": "n/d", "source": "...", "detail": "..."}}; total as "n/d".
    inputs = models.JSONField(_("输入"), default=dict)
    total = models.CharField(_("总分（精确分数）"), max_length=100)
    published_at = models.DateTimeField(_("公布时间"))

    class Meta:
        verbose_name = _("社区考核")
        verbose_name_plural = _("社区考核")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "community", "period"], name="unique_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period}"
