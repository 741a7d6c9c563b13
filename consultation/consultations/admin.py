"""Django admin for consultations: a read-only oversight list (consultations are
written through the staff pages and their services, never edited here)."""

from django.contrib import admin

from consultation.ballots.admin import ReadOnlyAdmin

from .models import Consultation


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "form", "category", "status", "session_at")
    list_filter = ("status", "form", "community")
    search_fields = ("title",)
