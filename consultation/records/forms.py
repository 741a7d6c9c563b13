"""Forms of decision records: they read input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.rolls.domain import RollBasis

from .domain.categories import CATEGORY_LABELS_ZH
from .domain.procedure import STEP_LABELS_ZH
from .models import Matter, Meeting, ResidentProposal
from .services.matters import TEXT_MAX, TITLE_MAX

CATEGORY_CHOICES = [(key.value, label) for key, label in CATEGORY_LABELS_ZH.items()]


class MatterForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea, required=False, max_length=TEXT_MAX
    )
    source = forms.ChoiceField(label=_("来源"), choices=Matter.Source.choices)
    category = forms.ChoiceField(label=_("类别"), choices=CATEGORY_CHOICES)
    follow_procedure = forms.BooleanField(
        label=_("按四议两公开程序办理（类别在本社区清单内的自动办理）"), required=False
    )


class MeetingForm(forms.Form):
    """A step's meeting. `present` lists the members the meeting expects."""

    held_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    text = forms.CharField(
        label=_("审议内容"), widget=forms.Textarea, max_length=TEXT_MAX
    )
    vote_method = forms.ChoiceField(
        label=_("表决方式"), choices=Meeting.VoteMethod.choices
    )
    present = forms.TypedMultipleChoiceField(
        label=_("出席成员"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    present_count = forms.IntegerField(
        label=_("实到人数（居民会议）"), min_value=0, required=False
    )
    constituency_basis = forms.ChoiceField(
        label=_("居民会议的组成"),
        required=False,
        choices=[
            (RollBasis.HOUSEHOLD_REPRESENTATIVES.value, _("户代表")),
            (RollBasis.RESIDENTS_ADULT.value, _("全体十八周岁以上居民")),
            (RollBasis.GROUP_REPRESENTATIVES.value, _("居民小组代表")),
        ],
    )
    yes = forms.IntegerField(label=_("同意"), min_value=0, initial=0, required=False)
    no = forms.IntegerField(label=_("反对"), min_value=0, initial=0, required=False)
    abstain = forms.IntegerField(
        label=_("弃权"), min_value=0, initial=0, required=False
    )
    ballot = forms.IntegerField(label=_("投票编号"), min_value=1, required=False)
    dissent = forms.CharField(
        label=_("不同意见"), widget=forms.Textarea, required=False, max_length=TEXT_MAX
    )
    sign_in_sheet = forms.FileField(label=_("签到表扫描件"), required=False)

    def __init__(self, *args, expected=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(p.pk, p.full_name) for p in expected]


class StepForm(forms.Form):
    step = forms.ChoiceField(
        label=_("步骤"),
        choices=[(key.value, label) for key, label in STEP_LABELS_ZH.items()],
    )
    text = forms.CharField(label=_("内容"), widget=forms.Textarea, max_length=TEXT_MAX)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("被否决后"), choices=[("revise", _("退回修改")), ("end", _("终止"))]
    )
    to_step = forms.ChoiceField(
        label=_("退回到"),
        required=False,
        choices=[(key.value, label) for key, label in STEP_LABELS_ZH.items()],
    )
    text = forms.CharField(label=_("说明"), widget=forms.Textarea, max_length=TEXT_MAX)


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("监督意见"), widget=forms.Textarea, max_length=TEXT_MAX
    )
    supervisor = forms.IntegerField(
        label=_("监督委员会成员编号"), required=False, min_value=1
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=TITLE_MAX)
    file = forms.FileField(label=_("文件（PDF、JPEG 或 PNG）"))


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea, max_length=TEXT_MAX
    )
    addressed_to = forms.ChoiceField(
        label=_("提请"), choices=ResidentProposal.AddressedTo.choices
    )
    compound = forms.IntegerField(required=False, min_value=1)


class PaperSupportForm(forms.Form):
    people = forms.TypedMultipleChoiceField(coerce=int)
    sheet = forms.CharField(label=_("签名表编号"), max_length=40, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(p.pk, p.full_name) for p in candidates]


class AgendaForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=CATEGORY_CHOICES)
