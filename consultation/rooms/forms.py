"""The staff form that opens a room: a body's meeting (协商会议), a residents' meeting
(居民会议) or an owners' assembly (业主大会) seated from the roll of its basis."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultation.records.domain.meetings import MeetingKind
from neighbourhoods.rolls.domain import RollBasis

KIND_CHOICES = [
    (MeetingKind.CONSULTATION.value, _("组织的会议（协商会议、议事会会议等）")),
    (MeetingKind.RESIDENTS_MEETING.value, _("居民会议（按名册）")),
    (MeetingKind.OWNERS_ASSEMBLY.value, _("业主大会（按名册）")),
]
BASIS_CHOICES = [
    ("", _("（组织的会议不需选择）")),
    (RollBasis.HOUSEHOLD_REPRESENTATIVES.value, _("居民会议：每户派代表")),
    (RollBasis.RESIDENTS_ADULT.value, _("居民会议：十八周岁以上居民")),
    (RollBasis.GROUP_REPRESENTATIVES.value, _("居民会议：居民小组代表")),
    (RollBasis.OWNERS.value, _("业主大会：全体业主（按人数和面积）")),
]


class RoomForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=KIND_CHOICES)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    place = forms.CharField(label=_("地点"), max_length=200)
    held_at = forms.DateTimeField(
        label=_("会议时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("留空即为现在。"),
    )
    body = forms.TypedChoiceField(
        label=_("召集组织"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("组织的会议必选；居民会议、业主大会可选召集组织。"),
    )
    basis = forms.ChoiceField(
        label=_("参会人名册"), choices=BASIS_CHOICES, required=False
    )
    compound = forms.TypedChoiceField(
        label=_("范围"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("留空即为全社区；业主大会通常按小区召开。"),
    )
    chair = forms.TypedChoiceField(label=_("主持人"), coerce=int)
    secretary = forms.TypedChoiceField(
        label=_("记录人"), coerce=int, required=False, empty_value=None
    )
    invited = forms.TypedMultipleChoiceField(
        label=_("列席人员"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("是否可以发言，由本社区的会议室设置决定。"),
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", "—")]
        self.fields["body"].choices = none + choices["bodies"]
        self.fields["compound"].choices = [("", _("全社区"))] + choices["compounds"]
        self.fields["chair"].choices = choices["people"]
        self.fields["secretary"].choices = none + choices["people"]
        self.fields["invited"].choices = choices["people"]

    def service_arguments(self) -> dict:
        """The form's data as `services.room_create` takes it."""
        data = self.cleaned_data
        arguments = {
            "kind": data["kind"],
            "title": data["title"],
            "place": data["place"],
            "held_at": data["held_at"],
            "body_id": data["body"],
            "chair_ids": (data["chair"],),
            "secretary_id": data["secretary"],
            "invited_ids": tuple(data["invited"]),
        }
        if data["kind"] != MeetingKind.CONSULTATION:
            compound = data["compound"]
            arguments["roll"] = {
                "basis": data["basis"],
                "scope_kind": "compound" if compound else "community",
                "scope_id": compound,
            }
        return arguments


class AgendaItemForm(forms.Form):
    """Staff put an item on a room's agenda: a title, maybe the matter it is about
    and the ballot the chair will open for it in the room."""

    title = forms.CharField(label=_("议程名称"), max_length=200)
    matter = forms.TypedChoiceField(
        label=_("相关议题（可不选）"), coerce=int, required=False, empty_value=None
    )
    ballot = forms.TypedChoiceField(
        label=_("在会上表决的投票（可不选）"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("先在“投票”中建好投票；主持人在会上开始和截止表决。"),
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, prefix="agenda", **kwargs)
        none = [("", "—")]
        self.fields["matter"].choices = none + choices["matters"]
        self.fields["ballot"].choices = none + choices["ballots"]

    def service_arguments(self) -> dict:
        """The form's data as `services.agenda_item_add` takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "matter_id": data["matter"],
            "ballot_id": data["ballot"],
        }
