"""Django admin for decision records: read-only oversight lists (records are
written through the staff pages and their services, never edited here)."""

from django.contrib import admin

from consultation.ballots.admin import ReadOnlyAdmin

from .models import Matter, Meeting, ResidentProposal


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "category", "status", "awaiting_step")
    list_filter = ("status", "category", "community")
    search_fields = ("title",)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "community", "matter", "outcome", "held_at")
    list_filter = ("kind", "outcome", "community")
    exclude = ("sign_in_sheet",)  # a private file: the matter page links its view


@admin.register(ResidentProposal)
class ResidentProposalAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "addressed_to", "status", "threshold_met_on")
    list_filter = ("status", "community")
