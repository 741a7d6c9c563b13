"""The holiday calendar in the Django admin (/django-admin/).

Staff read it; superusers and staff granted `yishi.change_holidaycalendarday` add a
year the package does not know yet (when the State Council publishes it) or correct
a day, with a note. Every save and deletion goes through `services`, which asks
`permissions` again, marks the row as staff's (never overwritten by a seed) and
writes the audit line. A day from the package is corrected, not deleted.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import services
from .models import HolidayCalendarDay
from .permissions import can_edit_calendar


@admin.register(HolidayCalendarDay)
class HolidayCalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "weekday", "kind", "name", "source", "note", "updated_at")
    list_filter = ("kind", "source")
    search_fields = ("name", "note")
    date_hierarchy = "day"
    fields = ("day", "kind", "name", "note", "source", "updated_at")
    readonly_fields = ("source", "updated_at")

    @admin.display(description=_lazy("星期"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.day.weekday()]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return can_edit_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        allowed = can_edit_calendar(request.user)
        return allowed and (
            obj is None or obj.source == HolidayCalendarDay.Source.STAFF
        )

    def save_model(self, request, obj, form, change):
        services.holiday_day_save(
            actor=request.user, row=obj, fields=form.changed_data if change else ()
        )

    def delete_model(self, request, obj):
        services.holiday_day_delete(actor=request.user, row=obj)

    def delete_queryset(self, request, queryset):
        skipped = queryset.filter(source=HolidayCalendarDay.Source.PACKAGE).count()
        for row in queryset.filter(source=HolidayCalendarDay.Source.STAFF):
            services.holiday_day_delete(actor=request.user, row=row)
        if skipped:
            self.message_user(
                request,
                _("软件包导入的 %(n)d 天未删除：请修改它们。 %(n)d package days kept.")
                % {"n": skipped},
                messages.WARNING,
            )
