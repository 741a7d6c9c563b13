"""Residents' accounts and link requests in the Django admin: read-only lists for
superusers (codes are never shown: only their hashes are stored, and not listed).
Staff decide link requests on their own page (`accounts:link_queue`)."""

from __future__ import annotations

from django.contrib import admin

from .models import AccountLinkRequest, ResidentAccount


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(ResidentAccount)
class ResidentAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "masked_phone", "staff_made", "created_at")
    fields = ("user", "masked_phone", "phone_verified_at", "staff_made", "created_at")
    readonly_fields = fields
    search_fields = ("user__username",)


@admin.register(AccountLinkRequest)
class AccountLinkRequestAdmin(ReadOnlyAdmin):
    list_display = ("claimed_name", "claimed_unit", "community", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("claimed_name", "claimed_unit")
