"""The register of places, property units, people, households, ownership and bodies.

Shape per ../shared/domain/RULES.md §8.2:
Subdistrict > Community > (ResidentsGroup, Grid);
Compound (物业管理区域, may span communities) > Building > Entrance > ExclusivePart.
Household (residence unit, 户代表 voting) is kept apart from ExclusivePart
(ownership unit, owners' votes) and from Person.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishi.privacy import mask_id_last4, mask_phone

digits = RegexValidator(r"^\d+$", _("只能是数字。 Digits only."))


class Subdistrict(models.Model):
    """街道: GB/T 2260 county code (6 digits) + GB/T 10114 street code (3 digits)."""

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


class StaffAssignment(models.Model):
    """Who works the register: community staff, or subdistrict staff over all of it."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("查看")
        EDITOR = "editor", _("编辑")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_assignments",
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_assignments",
    )
    role = models.CharField(_("权限"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("工作人员授权")
        verbose_name_plural = _("工作人员授权")
        constraints = [
            models.CheckConstraint(
                condition=(Q(community__isnull=False) & Q(subdistrict__isnull=True))
                | (Q(community__isnull=True) & Q(subdistrict__isnull=False)),
                name="staff_scope_is_community_or_subdistrict",
            ),
        ]

    def __str__(self) -> str:
        scope = self.community or self.subdistrict
        return f"{self.user} {self.get_role_display()} @ {scope}"


class ImportBatch(models.Model):
    """One applied roll import: file fingerprint and counts, for the record."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="import_batches"
    )
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要 (SHA-256)"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("导入人"),
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("数据行数"), validators=[MinValueValidator(0)])
    created = models.JSONField(_("变更"), default=dict)

    class Meta:
        verbose_name = _("名册导入记录")
        verbose_name_plural = _("名册导入记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d})"


from . import pages  # noqa: E402, F401  Wagtail pages live in pages.py
