"""The audit log in the Django admin (/django-admin/): read-only, scoped by community.

Who reads which lines is `neighbourhoods.permissions`' rule: a community's lines are
read by those who may read its register (its staff, subdistrict staff) and by the
current members of its residents' supervisory committee (居务监督委员会); lines of
no single community by subdistrict staff and superusers only. Nobody — superusers
included — adds, changes or deletes a line: the log is written by the services
alone. The admin site itself asks for a staff account (`is_staff`).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from neighbourhoods import permissions
from neighbourhoods.models import Community
from yishi.audit import AuditEntry
from yishi.deadlines import admin as deadlines_admin  # noqa: F401  registers its admin


def audit_entries_for(user, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """`entries` cut down to the lines `user` may read."""
    if not (user.is_authenticated and user.is_active):
        return entries.none()
    if user.is_superuser:
        return entries
    readable = Q(community_id__in=sorted(permissions.audit_community_ids(user)))
    if permissions.can_read_subdistrict_audit(user):
        readable |= Q(community_id__isnull=True)
    return entries.filter(readable)


def can_read_audit_log(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or permissions.can_read_audit(user))
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_name",
        "action",
        "target_type",
        "target_label",
        "community_column",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_name", "action", "target_label", "target_id")
    date_hierarchy = "at"
    fields = readonly_fields = (
        "at",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "community_column",
        "detail",
    )
    actions = None

    @admin.display(description=_("社区"), ordering="community_id")
    def community_column(self, obj):
        return obj.community_name or "—"

    def get_queryset(self, request):
        names = Community.objects.filter(pk=OuterRef("community_id")).values("name")
        entries = (
            super().get_queryset(request).annotate(community_name=Subquery(names[:1]))
        )
        return audit_entries_for(request.user, entries)

    def has_module_permission(self, request):
        return can_read_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return can_read_audit_log(request.user)
        visible = audit_entries_for(request.user, AuditEntry.objects.filter(pk=obj.pk))
        return visible.exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
