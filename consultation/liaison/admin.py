"""Django-admin screens of the liaison: stations and grid workers' logins are added
through the services (permission, audit line); requests, reception days and overdue
notices are read-only lists (requests change only through their pages)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from consultation.ballots.admin import ReadOnlyAdmin, ScopedAdmin

from . import services
from .errors import LiaisonError
from .models import (
    GridWorker,
    LiaisonRequest,
    LiaisonStation,
    OverdueNotice,
    ReceptionDay,
)


class AddThroughServiceAdmin(ScopedAdmin):
    """Added through a service; never changed or deleted here."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LiaisonStation)
class LiaisonStationAdmin(AddThroughServiceAdmin):
    list_display = ("name", "community", "office_hours")
    fields = ("community", "name", "address", "office_hours", "representatives")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = services.station_create(
                actor=request.user,
                community=data["community"],
                name=data["name"],
                address=data["address"],
                office_hours=data["office_hours"],
                representative_ids=[r.pk for r in data["representatives"]],
            )
        except LiaisonError as error:
            raise ValidationError(error.message) from error
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The service has set the representatives."""


@admin.register(GridWorker)
class GridWorkerAdmin(AddThroughServiceAdmin):
    community_path = "grid__community"
    list_display = ("user", "grid")

    def save_model(self, request, obj, form, change):
        try:
            saved = services.grid_worker_assign(
                actor=request.user, user=obj.user, grid=obj.grid
            )
        except LiaisonError as error:
            raise ValidationError(error.message) from error
        obj.pk = saved.pk


@admin.register(LiaisonRequest)
class LiaisonRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "community",
        "category",
        "state",
        "due_date",
        "submitted_at",
    )
    list_filter = ("state", "category", "community")
    search_fields = ("title",)
    exclude = ("resident_phone",)


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ReadOnlyAdmin):
    community_path = "station__community"
    list_display = ("day", "starts", "place", "station", "announced_on")


@admin.register(OverdueNotice)
class OverdueNoticeAdmin(ReadOnlyAdmin):
    community_path = "request__community"
    list_display = ("request", "due_date", "sent_at")
