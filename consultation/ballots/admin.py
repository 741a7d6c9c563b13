"""Django admin for ballots: oversight lists, community voting settings.

Ballots are created and run through the staff pages (services); here they are read.
Published tallies can be neither changed nor deleted.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from consultation.records.domain.categories import CATEGORY_LABELS_ZH
from neighbourhoods.permissions import communities_for

from . import services
from .domain.floors import setting_limits_zh
from .domain.rules import all_rules
from .models import Ballot, CommunityVotingSettings, PublishedTally, VoteConflict


class ScopedAdmin(admin.ModelAdmin):
    community_path = "community"

    edit_only = False  # settings: listed only where the user may change them

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        allowed = communities_for(request.user, edit=self.edit_only)
        return queryset.filter(**{f"{self.community_path}__in": allowed})


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "kind", "status", "secrecy", "opened_at")
    list_filter = ("status", "kind", "secrecy", "community")
    search_fields = ("title",)


@admin.register(PublishedTally)
class PublishedTallyAdmin(ReadOnlyAdmin):
    community_path = "ballot__community"
    list_display = ("ballot", "passed", "quorum_met", "official", "published_at")
    # A private file has no URL: the ballot's manage page links its serving view.
    exclude = ("source_document",)


@admin.register(VoteConflict)
class VoteConflictAdmin(ReadOnlyAdmin):
    community_path = "ballot__community"
    list_display = ("ballot", "entry", "first_channel", "channel", "attempted_at")


class VotingSettingsForm(forms.ModelForm):
    class Meta:
        model = CommunityVotingSettings
        fields = (
            "community",
            "owners_votes_consultative",
            "count_parking_area",
            "count_parking_only_owners",
            "blank_invalid_participate",
            "silent_owners_follow_majority",
            "rule_overrides",
            "siyi_enabled",
            "siyi_merge_first_steps",
            "siyi_categories",
            "proposal_agenda_days",
            "consultation_notice_days",
            "room_observers_admitted",
            "room_invited_may_speak",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What each rule allows, from the domain (floors, ceilings, legal review).
        self.fields["rule_overrides"].help_text = format_html(
            "{}<br>{}",
            _(
                "按规则编号或规则族设置，例如 "
                '{"party-members-meeting": {"quorum-present": {"fraction": "1/2"}}}。'
            ),
            format_html_join(
                "", "{}<br>", ((setting_limits_zh(rule),) for rule in all_rules())
            ),
        )

        # Left empty, the number of days keeps its value (or the default).
        self.fields["proposal_agenda_days"].required = False
        self.fields["consultation_notice_days"].required = False
        # The categories a matter may have, with the default list (RULES.md §1.3).
        self.fields["siyi_categories"].help_text = format_html(
            "{}<br>{}",
            _("填写类别编号的列表，留空即采用默认清单（除“其他事项”外的全部类别）："),
            format_html_join(
                "",
                "{}：{}<br>",
                ((key.value, label) for key, label in CATEGORY_LABELS_ZH.items()),
            ),
        )

    def clean_proposal_agenda_days(self):
        days = self.cleaned_data.get("proposal_agenda_days")
        return days if days is not None else self.instance.proposal_agenda_days

    def clean_consultation_notice_days(self):
        days = self.cleaned_data.get("consultation_notice_days")
        return days if days is not None else self.instance.consultation_notice_days

    def clean(self):
        cleaned = super().clean()
        try:
            services.records_settings_check(
                {
                    "siyi_categories": cleaned.get("siyi_categories") or [],
                    "proposal_agenda_days": cleaned.get("proposal_agenda_days") or 1,
                    "consultation_notice_days": (
                        cleaned.get("consultation_notice_days") or 1
                    ),
                }
            )
        except services.BallotError as error:
            raise ValidationError(error.message) from error
        return cleaned

    def clean_rule_overrides(self):
        overrides = self.cleaned_data["rule_overrides"] or {}
        try:
            return services.rule_overrides_check(overrides)
        except services.BallotError as error:
            raise ValidationError(error.message) from error


@admin.register(CommunityVotingSettings)
class CommunityVotingSettingsAdmin(ScopedAdmin):
    form = VotingSettingsForm
    edit_only = True
    list_display = (
        "community",
        "owners_votes_consultative",
        "count_parking_area",
        "count_parking_only_owners",
        "blank_invalid_participate",
        "silent_owners_follow_majority",
        "updated_at",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "community" and not request.user.is_superuser:
            kwargs["queryset"] = communities_for(request.user, edit=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # settings are changed, never removed: ballots refer to them

    def save_model(self, request, obj, form, change):
        # Through the service (permission, floors, audit line), as every writer.
        saved = services.voting_settings_update(
            community=form.cleaned_data["community"],
            actor=request.user,
            **{
                name: form.cleaned_data[name]
                for name in services.SETTING_NAMES
                if name in form.cleaned_data
            },
        )
        obj.pk = saved.pk
