"""居务公开: disclosure entries (drafted, reviewed, published into the chain),
objections, escalation notices, attachments kept by hash, per-community settings.

**Append-only, enforced by the database.** A published `DisclosureEntry` is never
changed or deleted: triggers created by migration 0006 refuse UPDATE and DELETE of a
row whose state is "published" — on PostgreSQL a row trigger that always refuses; on
SQLite `BEFORE UPDATE/DELETE … RAISE(ABORT)` triggers. A correction, a redaction
(PIPL) is a new entry pointing to the old one (`corrects`).

**How the guard lives with the test suite's flush.** Django's `flush` (used by
`TransactionTestCase` / `transactional_db` between tests, and by `manage.py flush`)
empties every table. On PostgreSQL it uses TRUNCATE, which row triggers never see;
a statement trigger refuses TRUNCATE of this table unless the session setting
`yishi.disclosure_flush` is 'on'. On SQLite it uses DELETE, which the row trigger
would refuse; the trigger asks the SQL function `yishi_disclosure_locked()`, which
this project registers on each of its SQLite connections (`chain_guard`) and which
answers 0 only inside `chain_guard.flush_allowed()`. Our `flush` command (an
override of Django's, consultation/management/commands/flush.py) wraps Django's in
that context on both databases, so wiping a whole database stays possible on purpose
and nothing else unlocks the rows. A session that lacks the function (the sqlite3
shell) cannot update or delete the table's rows at all. Chosen over a guard table
because a session flag cannot be left switched on by a crash.

NB SQLite: a later migration that rebuilds this table (most AlterField/AddField on
SQLite) drops its triggers: such a migration must create them again
(`tests/consultation/disclosures/test_immutability.py` fails otherwise).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Body, Community, Compound, Person
from yishi.uploads import private_file_field

from .domain import rules
from .domain.content import entry_content
from .domain.schedule import Cadence


class DisclosureSettings(models.Model):
    """A community's disclosure settings (the sibling of `CommunityVotingSettings`);
    each number carries its law and status in `domain.rules`."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="disclosure_settings"
    )
    review_days = models.PositiveSmallIntegerField(
        _("监督委员会审核期（日）"),
        default=rules.REVIEW_DAYS.default,
        help_text=_("地方实践（山东省村务公开条例第十六条：5日），需法律审核。"),
    )
    display_days = models.PositiveSmallIntegerField(
        _("公示期（日）"),
        default=rules.DISPLAY_DAYS.default,
        help_text=_("不少于7日（本平台下限），需法律审核。"),
    )
    reply_days = models.PositiveSmallIntegerField(
        _("异议答复期限（日）"),
        default=rules.REPLY_DAYS.default,
        help_text=_("地方实践（山东省村务公开条例第十六条：5日），需法律审核。"),
    )
    periodic_due_days = models.PositiveSmallIntegerField(
        _("定期公开的期限（期满后日数）"),
        default=rules.PERIODIC_DUE_DAYS.default,
        help_text=_(
            "财务每月、一般事项每季度公开；期满后多少日内公开为地方实践，需法律审核。"
        ),
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
        verbose_name = _("社区公开设置")
        verbose_name_plural = _("社区公开设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(display_days__gte=rules.DISPLAY_DAYS.minimum),
                name="disclosure_display_days_floor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} 公开设置"


class ChainHead(models.Model):
    """The last entry of a community's chain: locked by every publish (so two
    publishes never fork the chain) and read by the verifier (a deleted last entry
    is found missing)."""

    community = models.OneToOneField(
        Community, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    seq = models.PositiveIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("公开链头")
        verbose_name_plural = _("公开链头")

    def __str__(self) -> str:
        return f"{self.community_id}#{self.seq}"


class DisclosureEntry(models.Model):
    """One disclosure: a draft, then (published) an immutable link of the chain.

    The chained content (`content()`) is built from this row's own snapshot columns
    only — never from related rows, which may change — and holds no personal data:
    attachments enter as {sha256, size, type, label}.
    """

    class Kind(models.TextChoices):
        DECISION = "decision", _("决策事项")
        IMPLEMENTATION = "implementation", _("实施结果")
        FINANCE = "finance", _("财务收支（每月）")
        GENERAL = "general", _("一般事项（每季度）")
        MAJOR = "major", _("重大事项（即时）")
        CONSULTATION = "consultation", _("协商结果")
        MAINTENANCE_FUND = "maintenance_fund", _("专项维修资金使用")
        COMMON_INCOME = "common_income", _("共有部分收益")

    COMPOUND_KINDS = (Kind.MAINTENANCE_FUND, Kind.COMMON_INCOME)
    CADENCE = {Kind.FINANCE: Cadence.MONTHLY, Kind.GENERAL: Cadence.QUARTERLY}

    class Change(models.TextChoices):
        ORIGINAL = "original", _("首次公开")
        CORRECTION = "correction", _("更正")
        REDACTION = "redaction", _("撤下个人信息")

    class Source(models.TextChoices):
        GENERAL = "general", _("一般")
        MATTER = "matter", _("议题")
        MEETING = "meeting", _("会议")
        BALLOT = "ballot", _("投票")
        CONSULTATION = "consultation", _("协商")

    class State(models.TextChoices):  # the states of domain.lifecycle.State
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("监督委员会审核中")
        RETURNED = "returned", _("退回修改")
        APPROVED = "approved", _("审核通过，待公开")
        PUBLISHED = "published", _("已公开")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="disclosures"
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Snapshots chained with the content (a renamed body keeps its old name here).
    community_code = models.CharField(max_length=12)
    compound_name = models.CharField(max_length=100, blank=True)
    publisher = models.CharField(_("公开单位"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    period = models.CharField(_("所属期间"), max_length=7, blank=True)
    source_kind = models.CharField(
        _("来源"), max_length=20, choices=Source, default=Source.GENERAL
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_title = models.CharField(max_length=200, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    change = models.CharField(max_length=12, choices=Change, default=Change.ORIGINAL)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    state = models.CharField(_("状态"), max_length=12, choices=State, default="draft")
    # Review by the supervisory committee (居务监督委员会).
    submitted_on = models.DateField(null=True, blank=True)
    review_until = models.DateField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, blank=True)
    review_opinion = models.TextField(_("监督委员会意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The chain (set once, at publication).
    published_at = models.DateTimeField(null=True, blank=True)
    display_from = models.DateField(null=True, blank=True)
    display_until = models.DateField(null=True, blank=True)
    display_days = models.PositiveSmallIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "seq"], name="disclosure_chain_seq_unique"
            ),
            models.CheckConstraint(
                condition=Q(state="published", seq__isnull=False)
                | (~Q(state="published") & Q(seq__isnull=True)),
                name="disclosure_published_has_seq",
            ),
        ]
        indexes = [
            # The board: newest first, per chain and per compound.
            models.Index(
                fields=["community", "state", "-published_at"],
                name="disclosure_board_idx",
            ),
            models.Index(
                fields=["compound", "state", "-published_at"],
                name="disclosure_compound_board_idx",
            ),
            models.Index(
                fields=["community", "kind", "period"], name="disclosure_period_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (#{self.seq or '—'})"

    @property
    def published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @cached_property
    def is_redacted(self) -> bool:
        """Whether a published redaction supersedes this entry: from the `redacted`
        annotation of the board's selectors when present, else one query."""
        annotated = self.__dict__.get("redacted")
        if annotated is not None:
            return bool(annotated)
        if not self.published or self.change == self.Change.REDACTION:
            return False
        return self.corrections.filter(
            change=self.Change.REDACTION, state=self.State.PUBLISHED
        ).exists()

    @property
    def public_title(self) -> str:
        """The title shown to the public: a redacted entry's title may itself hold
        the personal data withdrawn, so only its number is shown (the row, which
        the chain still verifies, keeps it)."""
        if self.is_redacted:
            return _("第 %(seq)s 条（个人信息已撤下）") % {"seq": self.seq}
        return self.title

    def content(self) -> dict:
        """The chained content, from this row's columns (see domain.content)."""
        return entry_content(content_fields(self))


CONTENT_COLUMNS = (
    "community_code",
    "compound_name",
    "publisher",
    "kind",
    "title",
    "text",
    "period",
    "source_kind",
    "source_id",
    "source_title",
    "attachments",
    "change",
    "published_at",
    "display_from",
    "display_until",
    "display_days",
    "review_outcome",
    "review_opinion",
)


def content_fields(entry: DisclosureEntry) -> dict:
    fields = {name: getattr(entry, name) for name in CONTENT_COLUMNS}
    fields["corrects__seq"] = entry.corrects.seq if entry.corrects_id else None
    return fields


class DisclosureFile(models.Model):
    """An attachment's file, kept privately by its SHA-256 (the chain holds only the
    hash). A redaction removes the file and keeps the row: its hash still verifies
    the old entry's content."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = private_file_field(_("文件"), folder="disclosures", blank=True)
    media_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("公开附件")
        verbose_name_plural = _("公开附件")

    def __str__(self) -> str:
        return self.sha256[:12]


class Objection(models.Model):
    """A resident's objection to a displayed entry: the resident is known to staff,
    shown in public only by the pseudonym of their place among the entry's objectors
    (居民甲, 居民乙 …)."""

    entry = models.ForeignKey(
        DisclosureEntry, on_delete=models.PROTECT, related_name="objections"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    pseudonym_index = models.PositiveSmallIntegerField()
    text = models.TextField(_("异议内容"))
    filed_at = models.DateTimeField()
    reply_due = models.DateField(_("答复期限"))
    reply_due_certain = models.BooleanField(default=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["filed_at", "pk"]
        indexes = [models.Index(fields=["replied_at", "reply_due"])]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.pseudonym_index}"


class EscalationNotice(models.Model):
    """The notice of an overdue reply, sent once to the supervisory committee and the
    subdistrict by `manage.py disclosures_notify` (one row per objection: the
    command is idempotent)."""

    objection = models.OneToOneField(
        Objection, on_delete=models.PROTECT, related_name="escalation"
    )
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)
    text = models.TextField()

    class Meta:
        verbose_name = _("逾期答复提醒")
        verbose_name_plural = _("逾期答复提醒")

    def __str__(self) -> str:
        return f"{self.objection_id} @ {self.sent_at:%Y-%m-%d}"
