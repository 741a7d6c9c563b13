"""Decision records: matters, their 四议两公开 steps, meetings, residents' proposals.

A `Matter` moves through the procedure of `domain.procedure`; every step, opinion
and decision on it is a `MatterStep` row (its timeline, never edited), and a step
held as a meeting points to its `Meeting` (body, counts, the rule applied, the
vote, dissent, signatures). A `Meeting` is also what the live rooms will give a
room later: one held in a hall is a Meeting without room activity.

A `ResidentProposal` (居民提议) gathers `ProposalSupport` rows — one per person, a
database constraint — and residents' groups' acts (`ProposalGroupAct`); once its
convening threshold is met the committee puts it on an agenda as a Matter.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultation.ballots.models import Ballot
from neighbourhoods.models import (
    Body,
    Building,
    Community,
    Compound,
    ExclusivePart,
    Household,
    Person,
    ResidentsGroup,
)
from yishi.uploads import private_file_field

from .domain.categories import CATEGORY_LABELS_ZH
from .domain.meetings import MEETING_LABELS_ZH, MeetingKind
from .domain.procedure import STEP_LABELS_ZH, Outcome, Status, Step

USER = settings.AUTH_USER_MODEL


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


STEP_CHOICES = _choices(STEP_LABELS_ZH)
OUTCOME_CHOICES = [
    (Outcome.PASSED.value, _("通过")),
    (Outcome.REJECTED.value, _("未通过")),
    (Outcome.QUORUM_MISSED.value, _("未达到到会人数要求")),
    (Outcome.DONE.value, _("已完成")),
]


class Matter(models.Model):
    """议题/事项: what a community decides, with the procedure it goes through."""

    class Source(models.TextChoices):
        RESIDENT_SUGGESTION = "resident_suggestion", _("党员群众建议")
        COMMITTEE_PROPOSAL = "committee_proposal", _("“两委”成员提议")
        TASK_FROM_ABOVE = "task_from_above", _("上级安排")
        RESIDENT_PROPOSAL = "resident_proposal", _("居民提议")

    class Scope(models.TextChoices):
        COMMUNITY = "community", _("全社区")
        COMPOUND = "compound", _("小区")
        BUILDING = "building", _("楼栋")

    STATUS_CHOICES = [
        (Status.IN_PROGRESS.value, _("进行中")),
        (Status.REJECTED.value, _("被否决，待决定退回修改或终止")),
        (Status.COMPLETED.value, _("已完成")),
        (Status.ENDED.value, _("已终止")),
    ]

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("来源"), max_length=30, choices=Source)
    scope = models.CharField(
        _("范围"), max_length=20, choices=Scope, default=Scope.COMMUNITY
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(
        _("类别"), max_length=30, choices=_choices(CATEGORY_LABELS_ZH)
    )
    follows_procedure = models.BooleanField(_("经四议两公开程序"), default=False)
    # The community's setting when the matter was opened: the machine it runs on.
    merged_first_steps = models.BooleanField(default=False, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=STATUS_CHOICES,
        default=Status.IN_PROGRESS.value,
    )
    awaiting_step = models.CharField(
        _("待进行的步骤"), max_length=30, choices=STEP_CHOICES, blank=True
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """A meeting record: who was expected and present, the text, the vote."""

    class VoteMethod(models.TextChoices):
        SHOW_OF_HANDS = "show_of_hands", _("举手表决")
        BALLOT = "ballot", _("投票（本平台投票）")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="meetings"
    )
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(
        _("会议类型"), max_length=30, choices=_choices(MEETING_LABELS_ZH)
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    co_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("联席会议的另一个组织。"),
    )
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("地点"), max_length=200)
    text = models.TextField(_("审议内容"))
    rule_id = models.CharField(_("适用规则"), max_length=60)
    rule_overrides = models.JSONField(default=dict, blank=True)
    expected_count = models.PositiveIntegerField(_("应到人数"))
    present_count = models.PositiveIntegerField(_("实到人数"))
    vote_method = models.CharField(_("表决方式"), max_length=20, choices=VoteMethod)
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    yes_count = models.PositiveIntegerField(_("同意"), default=0)
    no_count = models.PositiveIntegerField(_("反对"), default=0)
    abstain_count = models.PositiveIntegerField(_("弃权"), default=0)
    dissent = models.TextField(_("不同意见"), blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=OUTCOME_CHOICES)
    evaluation = models.JSONField(default=dict)
    sign_in_sheet = private_file_field(
        _("签到表扫描件"), folder="meeting_sign_in", blank=True
    )
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(present_count__lte=models.F("expected_count")),
                name="meeting_present_le_expected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"

    @property
    def kind_enum(self) -> MeetingKind:
        return MeetingKind(self.kind)


class MeetingAttendance(models.Model):
    """A member expected at a meeting; present or not; their signature."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("出席"), default=False)
    confirmed_at = models.DateTimeField(_("本人确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("参会成员")
        verbose_name_plural = _("参会成员")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="unique_meeting_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.person}"


class MatterStep(models.Model):
    """One line of a matter's timeline: a step recorded, a supervision opinion,
    a return for revision or an end. Written once, never edited."""

    class Kind(models.TextChoices):
        STEP = "step", _("程序步骤")
        SUPERVISION = "supervision", _("监督意见")
        REVISION = "revision", _("退回修改")
        END = "end", _("终止")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=20, choices=Kind)
    step = models.CharField(max_length=30, choices=STEP_CHOICES, blank=True)
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES, blank=True)
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("内容"), blank=True)
    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议题记录")
        verbose_name_plural = _("议题记录")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.matter} {self.get_kind_display()} {self.step}"

    @property
    def step_enum(self) -> Step | None:
        return Step(self.step) if self.step else None


class Attachment(models.Model):
    """A file of a matter or one of its meetings: checked, private, served by a
    view that checks permission."""

    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, related_name="attachments"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    file = private_file_field(_("文件"), folder="matter_attachments")
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ResidentProposal(models.Model):
    """居民提议: residents ask that a meeting take up a matter."""

    class AddressedTo(models.TextChoices):
        RESIDENTS_MEETING = "residents_meeting", _("居民会议")
        OWNERS_EXTRAORDINARY = "owners_extraordinary", _("业主大会临时会议")

    class Status(models.TextChoices):
        GATHERING = "gathering", _("征集支持中")
        MET = "met", _("已达到门槛，待列入议程")
        ON_AGENDA = "on_agenda", _("已列入议程")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="resident_proposals"
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    addressed_to = models.CharField(_("提请"), max_length=30, choices=AddressedTo)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"))
    proposer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status, default=Status.GATHERING
    )
    threshold_met_on = models.DateField(_("达到门槛日期"), null=True, blank=True)
    matter = models.OneToOneField(
        Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placed_on_agenda_on = models.DateField(_("列入议程日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("居民提议")
        verbose_name_plural = _("居民提议")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ProposalSupport(models.Model):
    """One person's support: online on their account, or a paper signature entered
    by staff by unit. One per person (database constraint)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上支持")
        PAPER = "paper", _("纸质签名")

    proposal = models.ForeignKey(
        ResidentProposal, on_delete=models.PROTECT, related_name="supports"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    part = models.ForeignKey(
        ExclusivePart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sheet = models.CharField(_("签名表编号"), max_length=40, blank=True)
    entered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提议支持")
        verbose_name_plural = _("提议支持")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person"], name="unique_proposal_support"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} {self.person}"


class ProposalGroupAct(models.Model):
    """A residents' group proposes, as a group, after a group meeting; recorded by
    its leader (居民小组代表) or by staff naming them."""

    proposal = models.ForeignKey(
        ResidentProposal, on_delete=models.PROTECT, related_name="group_acts"
    )
    group = models.ForeignKey(
        ResidentsGroup, on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    met_on = models.DateField(_("小组会议日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("居民小组提议")
        verbose_name_plural = _("居民小组提议")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "group"], name="unique_proposal_group_act"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} {self.group}"
