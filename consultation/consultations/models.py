"""Consultations (协商, RULES.md §6): a topic, its participants, the advance notice,
the session (a records `Meeting`), the opinion with its positions and dissent, the
implementation, the published result and residents' feedback.

The status follows ``domain.machine``; only ``services`` write these rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultation.records.models import Matter, Meeting
from neighbourhoods.models import Community, Person

from .domain.machine import STATUS_LABELS_ZH, Status
from .domain.topics import FORM_LABELS_ZH, TOPIC_LABELS_ZH

USER = settings.AUTH_USER_MODEL


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(key), label) for key, label in labels.items()]


class Consultation(models.Model):
    """One consultation on one topic in one community."""

    class Source(models.TextChoices):
        RESIDENTS = "residents", _("居民提出")
        COMMITTEE = "committee", _("社区党组织和居委会提出")
        GOVERNMENT = "government", _("街道或政府部门委托")
        PARTICIPANTS = "participants", _("协商主体提出")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source)
    category = models.CharField(
        _("事项类别"), max_length=40, choices=_choices(TOPIC_LABELS_ZH)
    )
    form = models.CharField(
        _("协商形式"), max_length=20, choices=_choices(FORM_LABELS_ZH)
    )
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("所服务的议题"),
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=_choices(STATUS_LABELS_ZH),
        default=Status.TOPIC_COLLECTED.value,
    )
    notice_days = models.PositiveSmallIntegerField(_("提前通知天数"), null=True)
    notice_on = models.DateField(_("通知日期"), null=True, blank=True)
    notice_text = models.TextField(_("通知内容"), blank=True)
    session_at = models.DateTimeField(_("协商时间"), null=True, blank=True)
    session_place = models.CharField(_("协商地点"), max_length=200, blank=True)
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.TextField(_("协商意见"), blank=True)
    dissent = models.TextField(_("不同意见"), blank=True)
    implementation = models.TextField(_("落实情况"), blank=True)
    result = models.TextField(_("落实结果"), blank=True)
    result_published_on = models.DateField(_("结果公开日期"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("协商")
        verbose_name_plural = _("协商")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


class Participant(models.Model):
    """A participant (协商主体): a person or a group/unit, by name."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        GROUP = "group", _("组织或单位")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="participants"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind)
    name = models.CharField(_("名称"), max_length=100)
    role = models.CharField(_("身份"), max_length=100, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("协商主体")
        verbose_name_plural = _("协商主体")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name"], name="unique_consultation_participant"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A position taken in the opinion: for, against or other, and who held it."""

    class Stance(models.TextChoices):
        FOR = "for", _("赞成")
        AGAINST = "against", _("反对")
        OTHER = "other", _("其他意见")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="positions"
    )
    stance = models.CharField(_("立场"), max_length=10, choices=Stance)
    held_by = models.CharField(_("持此意见者"), max_length=300)
    text = models.TextField(_("意见"))

    class Meta:
        verbose_name = _("协商意见立场")
        verbose_name_plural = _("协商意见立场")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} {self.held_by}"


class Feedback(models.Model):
    """A resident's feedback on a published result, on their own account."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="feedback"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("反馈"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商结果反馈")
        verbose_name_plural = _("协商结果反馈")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "person"], name="unique_consultation_feedback"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} {self.person}"
