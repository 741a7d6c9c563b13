"""Places and property units of the register (RULES.md §8.2).

City > District (县区) >
Subdistrict > Community > (ResidentsGroup, Grid); Compound (物业管理区域, may span
communities) > Building > Entrance > ExclusivePart (专有部分, the ownership unit).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

digits = RegexValidator(r"^\d+$", _("只能是数字。 Digits only."))


class City(models.Model):
    """市 (prefecture-level city): GB/T 2260 code, 6 digits."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("市代码为 6 位数字。 6 digits."))],
    )

    class Meta:
        verbose_name = _("市")
        verbose_name_plural = _("市")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """县区 (district or county): GB/T 2260 code, 6 digits."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("县区代码为 6 位数字。 6 digits."))],
    )
    slug = models.SlugField(_("网址名"), unique=True)

    class Meta:
        verbose_name = _("县区")
        verbose_name_plural = _("县区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Subdistrict(models.Model):
    """街道: GB/T 2260 county code (6 digits) + GB/T 10114 street code (3 digits)."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subdistricts",
        verbose_name=_("县区"),
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("区划代码"),
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{9}$", _("街道代码为 9 位数字。 9 digits."))],
    )

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """社区 (residents' committee area): 12-digit code (国统字〔2009〕91号)."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("统计用区划代码"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(r"^\d{12}$", _("社区代码为 12 位数字。 12 digits."))
        ],
    )
    urban_rural_code = models.CharField(
        _("城乡分类代码"), max_length=3, blank=True, validators=[digits]
    )
    slug = models.SlugField(_("网址名"), unique=True)
    # An official number is public by choice: shown in full only when flagged.
    office_phone = models.CharField(_("社区办公电话"), max_length=20, blank=True)
    office_phone_public = models.BooleanField(
        _("办公电话公开"),
        default=False,
        help_text=_("勾选后在社区页面完整显示；不勾选则只显示后四位。"),
    )

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ResidentsGroup(models.Model):
    """居民小组 (居组法 2018 Art. 14)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="residents_groups"
    )
    number = models.PositiveSmallIntegerField(_("组号"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("居民小组")
        verbose_name_plural = _("居民小组")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"], name="unique_group_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.name}"


class Grid(models.Model):
    """网格: CJ/T 349-2010 code (20 digits) where assigned."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="grids"
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("网格编码"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\d{20}$", _("网格编码为 20 位数字。 20 digits."))
        ],
    )
    worker_name = models.CharField(_("网格员"), max_length=50, blank=True)
    worker_phone = models.CharField(_("网格员电话"), max_length=20, blank=True)
    worker_phone_public = models.BooleanField(
        _("网格员电话为公开的工作电话"),
        default=False,
        help_text=_(
            "网格员的工作电话可以公开，勾选后在社区页面完整显示；"
            "私人手机号请勿勾选，页面只显示打码后的号码。"
        ),
    )

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return f"{self.community} {self.name}"


class Compound(models.Model):
    """小区 = property-management area (物业管理条例 Art. 9); may span communities."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="compounds"
    )
    communities = models.ManyToManyField(
        Community, related_name="compounds", verbose_name=_("所属社区")
    )
    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("网址名"), unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    developer_name = models.CharField(_("建设单位"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """楼栋. Belongs to one community even when its compound spans two."""

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="buildings"
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.SET_NULL, null=True, blank=True, related_name="buildings"
    )
    number = models.CharField(_("楼号"), max_length=20)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["compound", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "number"], name="unique_building_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.number}栋"


class Entrance(models.Model):
    """单元."""

    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="entrances"
    )
    number = models.CharField(_("单元号"), max_length=20)

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "number"], name="unique_entrance_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.number}单元"


class ExclusivePart(models.Model):
    """专有部分 (SPI Art. 2). Areas in integer 0.01 m²: register > survey > contract."""

    class Kind(models.TextChoices):
        DWELLING = "dwelling", _("住宅")
        PARKING = "parking", _("车位")
        COMMERCIAL = "commercial", _("商业用房")

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="parts"
    )
    entrance = models.ForeignKey(
        Entrance, on_delete=models.PROTECT, null=True, blank=True, related_name="parts"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("房号"), max_length=30)
    area_register = models.PositiveIntegerField(
        _("登记面积 (0.01㎡)"), null=True, blank=True
    )
    area_survey = models.PositiveIntegerField(
        _("实测面积 (0.01㎡)"), null=True, blank=True
    )
    area_contract = models.PositiveIntegerField(
        _("合同面积 (0.01㎡)"), null=True, blank=True
    )
    unit_code = models.CharField(_("不动产单元代码"), max_length=28, blank=True)

    class Meta:
        verbose_name = _("专有部分")
        verbose_name_plural = _("专有部分")
        ordering = ["building", "entrance", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance", "number"],
                name="unique_part_number",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        entrance = f"{self.entrance.number}单元" if self.entrance_id else ""
        return f"{self.building}{entrance}{self.number}"

    @property
    def counted_area(self) -> int | None:
        """SPI Art. 8: register, else survey, else contract."""
        for area in (self.area_register, self.area_survey, self.area_contract):
            if area is not None:
                return area
        return None
