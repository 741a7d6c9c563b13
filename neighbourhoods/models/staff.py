"""Who works the register (staff assignments), and the record of what they imported."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .places import Community, Subdistrict


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
