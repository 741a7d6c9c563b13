"""The audit log: every service that changes a record says who did what, and when.

One call, `audit_record`, inside the service's transaction (the line is written or
rolled back with the change). Labels and details are masked like every log line: no
full ID-card or private phone number reaches the log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishi.privacy import scrub

LABEL_LENGTH = 200


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which record, and when.

    Written only by `yishi.audit.audit_record`, called by every service that changes
    a record; never edited or deleted (the admin shows it read-only). The target is
    named by type, id and a masked label rather than a foreign key, so the line
    outlives the record and depends on no app; `community_id` says whose staff and
    supervisory committee may read it (None: subdistrict-wide or site-wide).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=80)
    target_id = models.CharField(_("对象编号"), max_length=40)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    community_id = models.PositiveBigIntegerField(_("社区"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["community_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {str(key): _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return scrub(full or actor.get_username())[:150]


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    community_id: int | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Write one audit line. `action` is the service's name (`ballot_open`);
    `actor` a user, or None for the system (a command run by an operator)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=_actor_name(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=scrub(str(target))[:LABEL_LENGTH],
        community_id=community_id,
        detail=_scrubbed(detail or {}),
    )
