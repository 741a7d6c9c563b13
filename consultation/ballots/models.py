"""Ballots: who may vote (a roll snapshot kept for good), how votes are cast, counted.

Secrecy: for a secret ballot the database keeps "this roll member has voted"
(`Participation`) and the anonymous paper (`SecretPaper`) with no link between them:
no foreign key, no shared id, no timestamp on the paper, a random UUID key, and papers
are re-inserted in shuffled batches (`services.secret_papers_mix`), so neither
insertion order nor the writing transaction ties a paper to its voter once mixed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Community, Compound, ExclusivePart, Person
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import ScopeKind
from yishi.uploads import private_file_field

from ..consultations.domain.notice import DEFAULT_NOTICE_DAYS
from ..records.domain.support import AGENDA_DAYS_DEFAULT
from .domain.ballots import BallotKind, OptionRole


class Ballot(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已截止")
        PUBLISHED = "published", _("已公布")

    class Secrecy(models.TextChoices):
        NAMED = "named", _("记名投票")
        SECRET = "secret", _("无记名投票")

    class ResultsVisibility(models.TextChoices):
        LIVE = "live", _("实时公开")
        AFTER_CLOSE = "after_close", _("截止后公开")

    ScopeKind = ScopeKind  # one home: neighbourhoods.rolls.scopes

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="ballots"
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(
        _("投票类型"),
        max_length=20,
        choices=[(k.value, k.value) for k in BallotKind],
    )
    min_choices = models.PositiveSmallIntegerField(_("最少选择"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("最多选择"), default=1)
    seats = models.PositiveSmallIntegerField(_("应选名额"), default=1)
    basis = models.CharField(
        _("表决人范围"), max_length=40, choices=[(b.value, b.value) for b in RollBasis]
    )
    scope_kind = models.CharField(_("范围类型"), max_length=20, choices=ScopeKind)
    scope_id = models.PositiveBigIntegerField(_("范围"))
    weighted_by_area = models.BooleanField(_("按专有部分面积计"), default=False)
    rule_id = models.CharField(_("表决规则"), max_length=60, blank=True)
    rule_overrides = models.JSONField(_("本社区规则设置"), default=dict, blank=True)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    secrecy = models.CharField(
        _("记名方式"), max_length=10, choices=Secrecy, default=Secrecy.NAMED
    )
    results_visibility = models.CharField(
        _("结果公开方式"),
        max_length=20,
        choices=ResultsVisibility,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    consultative = models.BooleanField(
        _("征询性质（非正式表决）"),
        default=False,
        help_text=_("依当地规定须在省级电子投票系统表决的，本平台投票仅作征询。"),
    )
    silent_owners_follow_majority = models.BooleanField(
        _("沉默业主视为同意多数意见"),
        default=False,
        help_text=_(
            "法律上有争议，默认关闭；从不计入参与表决人数。"
            " Legally contested; off by default; never counts as participation."
        ),
    )
    # Counting settings: copied from the community's settings when the ballot is
    # created and never changed after, so a later setting change cannot alter its
    # roll or its tally (see `services.ballot_create`).
    count_parking_area = models.BooleanField(
        _("车位面积计入专有部分面积"),
        default=False,
        help_text=_(
            "由业主大会议事规则确定（《业主大会和业主委员会指导规则》第二十五条）。"
        ),
    )
    count_parking_only_owners = models.BooleanField(
        _("仅有车位的业主计入业主人数"),
        default=True,
        help_text=_(
            "默认计入（司法解释第九条：一个专有部分按一人计算）；有法院在与车位无关的"
            "事项上不计，需法律审核。"
        ),
    )
    concerns_parking = models.BooleanField(
        _("本事项涉及车位"),
        default=False,
        help_text=_("涉及车位的事项，车位面积和仅有车位的业主一律计入。"),
    )
    blank_invalid_participate = models.BooleanField(
        _("空白票和废票计入参与表决"),
        default=True,
        help_text=_("法律未明确，默认计入，需法律审核。"),
    )
    proxy_cap = models.PositiveSmallIntegerField(
        _("每位受托人最多代理票数"),
        default=3,
        help_text=_("地方实践数值，需法律审核。 Local practice; needs legal review."),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status, default=Status.DRAFT
    )
    # Roll snapshot summary (members are RollEntry rows), taken at open, kept for good.
    roll_as_of = models.DateField(null=True, blank=True)
    roll_heads = models.PositiveIntegerField(default=0)
    roll_area = models.PositiveBigIntegerField(default=0)
    roll_problems = models.JSONField(default=list, blank=True)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_choices__lte=models.F("max_choices")),
                name="ballot_min_choices_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_secret(self) -> bool:
        return self.secrecy == self.Secrecy.SECRET


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("顺序"))
    label = models.CharField(_("选项"), max_length=200)
    role = models.CharField(
        max_length=10,
        choices=[(r.value, r.value) for r in OptionRole],
        default=OptionRole.CHOICE,
    )
    candidate = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "position"], name="unique_option_position"
            )
        ]

    def __str__(self) -> str:
        return self.label


class RollEntry(models.Model):
    """One member of the ballot's roll snapshot (SPI Art. 9 identity for owners)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="roll")
    key = models.CharField(max_length=200)
    voter = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_ids = models.JSONField(default=list)
    part_ids = models.JSONField(default=list)
    heads = models.PositiveSmallIntegerField(default=1)
    area = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("表决名册条目")
        verbose_name_plural = _("表决名册")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "key"], name="unique_roll_key")
        ]
        indexes = [models.Index(fields=["ballot", "voter"])]

    def __str__(self) -> str:
        return self.key


class Channel(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票")
    DOOR = "door", _("入户书面征求意见")
    PROXY = "proxy", _("委托投票")


class Proxy(models.Model):
    """A written authorisation (scan kept) for `holder` to vote for `principal`."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="proxies")
    principal = models.ForeignKey(
        RollEntry, on_delete=models.PROTECT, related_name="proxies"
    )
    holder = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Private: PDF/JPEG/PNG by content, random name, outside the media root, served
    # only to those who manage the ballot (yishi.uploads; views.proxy_authorisation).
    authorisation = private_file_field(_("委托书扫描件"), folder="proxies")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("委托")
        verbose_name_plural = _("委托")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "principal"], name="one_proxy_per_principal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.principal} → {self.holder}"


class Participation(models.Model):
    """ "This roll member has voted" — one per member per ballot, across all channels.

    For a named ballot it also holds the selection; for a secret ballot it holds
    nothing about the choice.
    """

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="participations"
    )
    entry = models.ForeignKey(
        RollEntry, on_delete=models.PROTECT, related_name="participations"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    selection = models.JSONField(null=True, blank=True)
    heads = models.PositiveSmallIntegerField(default=1)
    area = models.PositiveBigIntegerField(default=0)
    cast_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proxy = models.ForeignKey(
        Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sheet_number = models.CharField(_("选票编号"), max_length=40, blank=True)
    witness = models.CharField(_("监票人"), max_length=50, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "entry"], name="one_vote_per_member_per_ballot"
            ),
            models.UniqueConstraint(
                fields=["ballot", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_idempotency_key_per_ballot",
            ),
            models.UniqueConstraint(
                fields=["ballot", "sheet_number"],
                condition=~Q(sheet_number=""),
                name="unique_paper_sheet_per_ballot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} @ {self.ballot_id} ({self.channel})"


class SecretPaper(models.Model):
    """An anonymous paper of a secret ballot. Nothing here points at a voter.

    No timestamp, no channel, one head and no area (a secret ballot is never
    area-weighted), a random primary key, and `mixed` papers were re-inserted in a
    shuffled batch by a later transaction than the one that recorded the vote.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="secret_papers"
    )
    selection = models.JSONField()
    heads = models.PositiveSmallIntegerField(default=1)
    area = models.PositiveBigIntegerField(default=0)
    receipt_hash = models.CharField(max_length=64, unique=True)
    mixed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("无记名选票")
        verbose_name_plural = _("无记名选票")
        indexes = [models.Index(fields=["ballot", "mixed"])]

    def __str__(self) -> str:
        return str(self.id)


class VoteConflict(models.Model):
    """A refused second vote for a member who had already voted (shown to staff)."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="conflicts"
    )
    entry = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    first_channel = models.CharField(max_length=10, choices=Channel.choices)
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sheet_number = models.CharField(max_length=40, blank=True)
    attempted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重复投票记录")
        verbose_name_plural = _("重复投票记录")
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.entry} {self.first_channel} → {self.channel}"


class PublishedTally(models.Model):
    """The frozen result, written once when the ballot is published; never edited."""

    ballot = models.OneToOneField(
        Ballot, on_delete=models.PROTECT, related_name="published_tally"
    )
    result = models.JSONField()
    passed = models.BooleanField(null=True)
    quorum_met = models.BooleanField(null=True)
    official = models.BooleanField(
        default=False, help_text=_("录入的官方表决结果（如省级电子投票系统）。")
    )
    source_document = private_file_field(
        _("官方结果文件"), folder="official_results", blank=True
    )
    sha256 = models.CharField(max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公布的计票结果")
        verbose_name_plural = _("公布的计票结果")

    def __str__(self) -> str:
        return f"{self.ballot} ({self.published_at:%Y-%m-%d})"


class CommunityVotingSettings(models.Model):
    """A community's voting settings; rule changes never go below a national floor.

    `rule_overrides` maps a rule id or family to condition changes, e.g.
    {"owners-ordinary": {"approval-area": {"fraction": "2/3", "comparator": ">="}}};
    `services.voting_settings_update` refuses one that would loosen a law.
    """

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="voting_settings"
    )
    owners_votes_consultative = models.BooleanField(
        _("业主网上投票仅作征询"),
        default=False,
        help_text=_(
            "如四川省规定具有法律效力的业主表决须使用省级电子投票系统"
            "（川建行规〔2022〕9号），本平台的业主投票标为征询性质。"
        ),
    )
    count_parking_area = models.BooleanField(
        _("车位面积计入专有部分面积"),
        default=False,
        help_text=_(
            "由业主大会议事规则约定（《业主大会和业主委员会指导规则》第二十五条）。"
            "只影响面积：仅有车位的业主是否计入人数，见下一项。"
        ),
    )
    count_parking_only_owners = models.BooleanField(
        _("仅有车位的业主计入业主人数（需法律审核）"),
        default=True,
        help_text=_(
            "默认计入：建筑物区分所有权司法解释第九条按专有部分计算人数。"
            "有法院在与车位无关的事项上不计其人数和面积。涉及车位的事项一律计入。"
        ),
    )
    blank_invalid_participate = models.BooleanField(
        _("空白票和废票计入参与表决（需法律审核）"),
        default=True,
        help_text=_(
            "法律未明确空白票、废票是否算作参与表决，默认计入。弃权票始终计入。"
        ),
    )
    silent_owners_follow_majority = models.BooleanField(
        _("沉默业主视为同意多数意见（有争议）"), default=False
    )
    rule_overrides = models.JSONField(_("表决规则设置"), default=dict, blank=True)
    # Decision records (consultation.records): 四议两公开 and residents' proposals.
    siyi_enabled = models.BooleanField(
        _("本社区实行四议两公开"),
        default=False,
        help_text=_("城市社区的四议两公开属地方实践，按社区开启。"),
    )
    siyi_merge_first_steps = models.BooleanField(
        _("书记、主任“一肩挑”：党组织提议与“两委”会议商议合并进行"),
        default=False,
    )
    siyi_categories = models.JSONField(
        _("须经四议两公开的事项类别"),
        default=list,
        blank=True,
        help_text=_("留空即采用默认清单（除“其他事项”外的全部类别）。"),
    )
    proposal_agenda_days = models.PositiveSmallIntegerField(
        _("居民提议达到门槛后列入议程的期限（天）"),
        default=AGENDA_DAYS_DEFAULT,
        help_text=_("地方实践数值，需法律审核。 Local practice; needs legal review."),
    )
    consultation_notice_days = models.PositiveSmallIntegerField(
        _("协商会议提前通知的天数"),
        default=DEFAULT_NOTICE_DAYS,
        help_text=_(
            "地方实践数值（常见3至7天），需法律审核。"
            " Local practice; needs legal review."
        ),
    )
    # Live rooms (consultation.rooms) of a residents' meeting or owners' assembly.
    room_observers_admitted = models.BooleanField(
        _("会议室允许旁听"),
        default=True,
        help_text=_("关闭后，旁听人员不能进入会议室（工作人员不受影响）。"),
    )
    room_invited_may_speak = models.BooleanField(
        _("列席居民可以发言"),
        default=True,
        help_text=_("关闭后，列席居民只能旁听，不能举手、发言或表态。"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("社区表决设置")
        verbose_name_plural = _("社区表决设置")

    def __str__(self) -> str:
        return f"{self.community} 表决设置"


class BallotNotice(models.Model):
    """The notice (公告) published before voting opens: its date and channels.

    Required ahead of opening by the ballot's rule (`domain.notice`); recorded by
    staff through `services.notice_record`, fixed once the ballot opens.
    """

    ballot = models.OneToOneField(
        Ballot, on_delete=models.CASCADE, related_name="notice"
    )
    published_on = models.DateField(_("公告日期"))
    channels = models.JSONField(_("公告渠道"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投票公告")
        verbose_name_plural = _("投票公告")

    def __str__(self) -> str:
        return f"{self.ballot} {self.published_on:%Y-%m-%d}"


class ZeroAreaConfirmation(models.Model):
    """Staff confirmed, for this ballot, that a part without a recorded area counts
    as zero square metres (`services.zero_area_confirm`; `domain.areas`)."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="zero_area_confirmations"
    )
    part = models.ForeignKey(ExclusivePart, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("面积按零计的确认")
        verbose_name_plural = _("面积按零计的确认")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "part"], name="one_zero_area_confirmation_per_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot} · {self.part}"
