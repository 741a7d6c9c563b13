"""A pact's versions, comments, legality reviews, filings and pledges.

A pact is a Wagtail page (`PactPage`) whose body is its working text; every version
is kept as an explicit record (`PactVersion`: the articles as they were, each with
its stable key) whatever happens to the page's revisions. The version's state is the
domain's (`domain.lifecycle.State`); only the services change it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consultation.ballots.models import Ballot
from consultation.disclosures.models import DisclosureEntry
from consultation.records.models import Matter
from neighbourhoods.models import Building, Compound, Household, Person
from yishi.uploads import private_file_field

from .domain.lifecycle import OPEN_STATES, State

USER = settings.AUTH_USER_MODEL


class PactKind(models.TextChoices):
    RESIDENTS_PACT = "residents_pact", _("居民公约")
    COMPOUND_CONVENTION = "compound_convention", _("小区自治公约")
    BUILDING_CONVENTION = "building_convention", _("楼栋公约")
    OWNERS_COVENANT = "owners_covenant", _("管理规约")


class VersionState(models.TextChoices):
    DRAFT = State.DRAFT, _("草稿")
    PUBLIC_COMMENT = State.PUBLIC_COMMENT, _("征求意见中")
    LEGALITY_REVIEW = State.LEGALITY_REVIEW, _("合法性审查中")
    REVIEWED = State.REVIEWED, _("审查通过，待表决")
    VOTING = State.VOTING, _("表决中")
    ADOPTED = State.ADOPTED, _("已表决通过，待备案")
    REJECTED = State.REJECTED, _("表决未通过")
    FILED = State.FILED, _("已备案，待施行")
    IN_FORCE = State.IN_FORCE, _("现行有效")
    AMENDED = State.AMENDED, _("已被修订")
    REPEALED = State.REPEALED, _("已废止")
    WITHDRAWN = State.WITHDRAWN, _("已撤回")


class PactVersion(models.Model):
    page = models.ForeignKey(
        "residents_pact.PactPage", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    state = models.CharField(
        _("状态"), max_length=20, choices=VersionState, default=State.DRAFT
    )
    title = models.CharField(_("标题"), max_length=200)
    articles = models.JSONField(
        default=list
    )  # [{key, number, chapter, title, text, items}]
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment_opened_on = models.DateField(null=True, blank=True)
    comment_last_day = models.DateField(_("征求意见截止日"), null=True, blank=True)
    comment_period_reasons = models.JSONField(default=list, blank=True)
    vote_basis = models.CharField(max_length=30, blank=True)
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matter = models.ForeignKey(  # the 四议两公开 matter the vote went through
        Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    in_force_from = models.DateField(_("施行日期"), null=True, blank=True)
    ended_on = models.DateField(_("失效日期"), null=True, blank=True)
    adoption_entry = models.ForeignKey(
        DisclosureEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filing_entry = models.ForeignKey(
        DisclosureEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ["page", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "number"], name="pact_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["page"],
                condition=Q(state=State.IN_FORCE),
                name="pact_one_version_in_force",
            ),
            models.UniqueConstraint(
                fields=["page"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="pact_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class LegalityReview(models.Model):
    version = models.OneToOneField(
        PactVersion, on_delete=models.PROTECT, related_name="review"
    )
    checks = models.JSONField(default=list)  # the passed check codes
    note = models.TextField(_("审查意见"), blank=True)
    reviewer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewer_name = models.CharField(_("审查人"), max_length=50)
    signed_on = models.DateField(_("签署日期"))

    def __str__(self) -> str:
        return f"{self.version} 合法性审查"


class PactFiling(models.Model):
    version = models.OneToOneField(
        PactVersion, on_delete=models.PROTECT, related_name="filing"
    )
    authority = models.CharField(_("备案机关"), max_length=100)
    filed_on = models.DateField(_("备案日期"))
    receipt = private_file_field(_("备案回执"), folder="pacts")
    receipt_sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.version} 备案"


class Handling(models.TextChoices):
    ACCEPTED = "accepted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ACCEPTED = "not_accepted", _("不予采纳")


class PactComment(models.Model):
    version = models.ForeignKey(
        PactVersion, on_delete=models.PROTECT, related_name="comments"
    )
    article_key = models.CharField(max_length=64)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    by_drafting_group = models.BooleanField(default=False)
    pseudonym = models.PositiveIntegerField(default=0)  # 居民 n, per version
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField()
    handling = models.CharField(_("处理"), max_length=20, choices=Handling, blank=True)
    handling_reason = models.TextField(_("理由"), blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    agree_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["version", "article_key"])]

    def __str__(self) -> str:
        return f"{self.version} 意见 {self.pk}"


class CommentAgreement(models.Model):
    comment = models.ForeignKey(
        PactComment, on_delete=models.CASCADE, related_name="agreements"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="pact_comment_agree_once"
            )
        ]

    def __str__(self) -> str:
        return f"附议 {self.comment_id}"


class Pledge(models.Model):
    """承诺: a person, or a household through its representative, acknowledges a
    version in force. Counted per building and compound; never shown by name."""

    version = models.ForeignKey(
        PactVersion, on_delete=models.PROTECT, related_name="pledges"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pledged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"],
                condition=Q(person__isnull=False),
                name="pact_pledge_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["version", "household"],
                condition=Q(household__isnull=False),
                name="pact_pledge_once_per_household",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, household__isnull=True)
                | Q(person__isnull=True, household__isnull=False),
                name="pact_pledge_person_or_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} 承诺"
