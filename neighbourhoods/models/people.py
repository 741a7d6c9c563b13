"""People, and where they live and what they own.

Household (户, the residence unit of household-representative votes) is kept apart from
ExclusivePart (the ownership unit of owners' votes) and from Person; Residency links a
person to a household, Ownership a person (or the developer) to a part.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yishi.privacy import mask_id_last4, mask_phone

from .places import Community, ExclusivePart, ResidentsGroup


class Person(models.Model):
    """A natural person. The ID-card number is kept only as a keyed hash + last four."""

    full_name = models.CharField(_("姓名"), max_length=50)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    id_number_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    id_number_last4 = models.CharField(
        _("身份证号后四位"), max_length=4, blank=True, editable=False
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    home_community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("所属社区"),
    )

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_last4(self.id_number_last4) if self.id_number_hash else ""


class Household(models.Model):
    """户: a residence unit (for household-representative votes)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="households"
    )
    residents_group = models.ForeignKey(
        ResidentsGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
    )
    dwelling = models.ForeignKey(
        ExclusivePart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
    )
    number = models.CharField(_("户号"), max_length=30)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"], name="unique_household_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.number}"


class Residency(models.Model):
    """A person living in a household: registered (户籍) or habitual (常住) resident."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("户籍居民")
        HABITUAL = "habitual", _("常住居民")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="residencies"
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="residencies"
    )
    kind = models.CharField(_("居住类型"), max_length=20, choices=Kind.choices)
    is_representative = models.BooleanField(_("户代表"), default=False)
    is_group_representative = models.BooleanField(_("居民小组代表"), default=False)
    start_date = models.DateField(_("起始日期"), null=True, blank=True)
    end_date = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("居住关系")
        verbose_name_plural = _("居住关系")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "household"], name="unique_residency"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_representative=True, end_date__isnull=True),
                name="one_current_representative_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.household}"


class Developer(models.Model):
    """建设单位: holds unsold or undelivered parts (together one owner, SPI Art. 9)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("建设单位")
        verbose_name_plural = _("建设单位")

    def __str__(self) -> str:
        return self.name


class Ownership(models.Model):
    """Who holds an exclusive part: a person (a row per co-owner) or the developer."""

    class Basis(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        CONTRACT_OCCUPIED = "contract_occupied", _("合同占有未登记")
        DEVELOPER_HELD = "developer_held", _("建设单位持有")

    part = models.ForeignKey(
        ExclusivePart, on_delete=models.CASCADE, related_name="ownerships"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ownerships",
    )
    developer = models.ForeignKey(
        Developer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ownerships",
    )
    basis = models.CharField(_("依据"), max_length=30, choices=Basis.choices)
    nominated_voter = models.BooleanField(_("共有人推选的表决人"), default=False)
    start_date = models.DateField(_("起始日期"), null=True, blank=True)
    end_date = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("产权")
        verbose_name_plural = _("产权")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(developer__isnull=True))
                | (Q(person__isnull=True) & Q(developer__isnull=False)),
                name="ownership_has_exactly_one_holder",
            ),
            models.UniqueConstraint(
                fields=["part", "person"],
                condition=Q(end_date__isnull=True),
                name="unique_current_owner_per_part",
            ),
            models.UniqueConstraint(
                fields=["part"],
                condition=Q(nominated_voter=True, end_date__isnull=True),
                name="one_nominated_voter_per_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.developer} → {self.part}"
