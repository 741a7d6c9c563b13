"""Django-admin screens of the disclosure board: a community's disclosure settings
(through the service: floors, permission, audit line; the flagged ones say they need
legal review), and read-only lists of entries, objections and notices. Nothing
published is changed here: the database would refuse it anyway."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultation.ballots.admin import ReadOnlyAdmin, ScopedAdmin
from neighbourhoods.permissions import communities_for

from . import services
from .domain.rules import DAY_SETTINGS
from .models import DisclosureEntry, DisclosureSettings, EscalationNotice, Objection


class DisclosureSettingsForm(forms.ModelForm):
    class Meta:
        model = DisclosureSettings
        fields = ("community", *DAY_SETTINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, setting in DAY_SETTINGS.items():
            review = _("需法律审核") if setting.needs_legal_review else ""
            self.fields[name].help_text = (
                f"{setting.law} [{setting.status}] "
                f"{setting.minimum}–{setting.maximum} · {review}"
            )

    def clean(self):
        cleaned = super().clean()
        for name, setting in DAY_SETTINGS.items():
            value = cleaned.get(name)
            if value is not None and value < setting.minimum:
                raise ValidationError(
                    _("%(name)s 不能少于 %(floor)s 日。")
                    % {"name": name, "floor": setting.minimum}
                )
        return cleaned


@admin.register(DisclosureSettings)
class DisclosureSettingsAdmin(ScopedAdmin):
    form = DisclosureSettingsForm
    edit_only = True
    list_display = ("community", *DAY_SETTINGS, "updated_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "community" and not request.user.is_superuser:
            kwargs["queryset"] = communities_for(request.user, edit=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = services.disclosure_settings_update(
                community=form.cleaned_data["community"],
                actor=request.user,
                **{name: form.cleaned_data[name] for name in DAY_SETTINGS},
            )
        except services.DisclosureError as error:
            raise ValidationError(error.message) from error
        obj.pk = saved.pk


@admin.register(DisclosureEntry)
class DisclosureEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "community",
        "kind",
        "period",
        "state",
        "seq",
        "published_at",
    )
    list_filter = ("state", "kind", "community")
    search_fields = ("title",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    community_path = "entry__community"
    list_display = ("entry", "pseudonym_index", "filed_at", "reply_due", "replied_at")


@admin.register(EscalationNotice)
class EscalationNoticeAdmin(ReadOnlyAdmin):
    community_path = "objection__entry__community"
    list_display = ("objection", "sent_at", "recipients")
