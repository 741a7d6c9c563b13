"""Bodies of the community (committees, party organisations, councils), their
members with terms, and the representatives (两代表一委员) who keep in touch with it.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .people import Person
from .places import Community, Compound


class Body(models.Model):
    """An organisation in the community: committees, party organisations, councils."""

    class Kind(models.TextChoices):
        RESIDENTS_COMMITTEE = "residents_committee", _("居民委员会")
        PARTY_ORGANISATION = "party_organisation", _("社区党组织")
        PARTY_BRANCH = "party_branch", _("小区党支部")
        OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
        SELF_MANAGEMENT = "self_management", _("自治管理委员会")
        COUNCIL = "council", _("议事会/理事会")
        SUPERVISORY = "supervisory", _("居务监督委员会")
        REPRESENTATIVES_MEETING = "representatives_meeting", _("居民代表会议")

    PARTY_KINDS = (Kind.PARTY_ORGANISATION, Kind.PARTY_BRANCH)

    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="bodies"
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        help_text=_("小区党支部、业主委员会等小区层面的组织填写。"),
    )

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["community", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's seat in a body, with role and term (end inclusive)."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("书记")
        DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
        CHAIR = "chair", _("主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        MEMBER = "member", _("委员/成员")
        PARTY_MEMBER = "party_member", _("党员")
        # No vote, no right to elect or stand (《中国共产党章程》第七条): kept in
        # the register, never on a roll (neighbourhoods.rolls.domain.bodies).
        PROBATIONARY_MEMBER = "probationary_member", _("预备党员")
        REPRESENTATIVE = "representative", _("代表")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("职务"), max_length=30, choices=Role.choices)
    term_start = models.DateField(_("任期开始"), null=True, blank=True)
    term_end = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person", "role", "term_start"],
                name="unique_membership_term",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()} @ {self.body}"


class Representative(models.Model):
    """两代表一委员: party-congress deputy, people's-congress deputy or CPPCC member."""

    class Kind(models.TextChoices):
        PARTY_CONGRESS = "party_congress", _("党代表")
        PEOPLES_CONGRESS = "peoples_congress", _("人大代表")
        CPPCC = "cppcc", _("政协委员")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区(县)级")
        TOWNSHIP = "township", _("乡镇级")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="representative_roles"
    )
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    title = models.CharField(_("称谓"), max_length=100, blank=True)
    communities = models.ManyToManyField(
        Community, related_name="representatives", verbose_name=_("联系社区")
    )
    term_start = models.DateField(_("任期开始"), null=True, blank=True)
    term_end = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("两代表一委员")
        verbose_name_plural = _("两代表一委员")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "level"], name="unique_representative_seat"
            )
        ]

    def __str__(self) -> str:
        # Chinese runs the level into the kind (区级人大代表); English needs a space.
        return gettext("%(level)s%(kind)s %(person)s") % {
            "level": self.get_level_display(),
            "kind": self.get_kind_display(),
            "person": self.person,
        }
