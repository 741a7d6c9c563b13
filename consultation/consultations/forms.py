"""Consultation forms: parse input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.topics import FORM_LABELS_ZH, TOPIC_LABELS_ZH
from .models import Consultation, Participant, Position


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea, required=False
    )
    source = forms.ChoiceField(label=_("来源"), choices=Consultation.Source.choices)
    category = forms.ChoiceField(
        label=_("事项类别"), choices=[(str(k), v) for k, v in TOPIC_LABELS_ZH.items()]
    )
    form = forms.ChoiceField(
        label=_("协商形式"), choices=[(str(k), v) for k, v in FORM_LABELS_ZH.items()]
    )
    matter_id = forms.IntegerField(
        label=_("所服务的议题编号（可选）"), required=False, min_value=1
    )


class ConfirmForm(forms.Form):
    participants = forms.CharField(
        label=_("参与主体（每行一个：名称｜身份；组织或单位在名称前加“#”）"),
        widget=forms.Textarea,
        max_length=10_000,
    )

    def participant_rows(self):
        rows = []
        for line in self.cleaned_data["participants"].splitlines():
            line = line.strip()
            if not line:
                continue
            kind = Participant.Kind.PERSON
            if line.startswith("#"):
                kind, line = Participant.Kind.GROUP, line[1:]
            name, _sep, role = line.partition("｜")
            rows.append((kind, name.strip(), role.strip()))
        return rows


class NoticeForm(forms.Form):
    notice_on = forms.DateField(label=_("通知日期"))
    session_at = forms.DateTimeField(label=_("协商时间"))
    place = forms.CharField(label=_("协商地点"), max_length=200)
    text = forms.CharField(
        label=_("通知内容"), widget=forms.Textarea, max_length=20_000
    )


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(label=_("会议时间"))
    place = forms.CharField(label=_("地点"), max_length=200)
    expected = forms.IntegerField(label=_("应到人数"), min_value=0, max_value=100_000)
    present = forms.IntegerField(label=_("实到人数"), min_value=0, max_value=100_000)
    text = forms.CharField(
        label=_("协商内容"), widget=forms.Textarea, max_length=20_000
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("协商意见"), widget=forms.Textarea, max_length=20_000
    )
    positions = forms.CharField(
        label=_("各方意见（每行一条：赞成/反对/其他｜持此意见者｜意见）"),
        widget=forms.Textarea,
        max_length=20_000,
    )
    dissent = forms.CharField(
        label=_("不同意见及解释"),
        widget=forms.Textarea,
        required=False,
        max_length=20_000,
    )

    STANCES = {"赞成": Position.Stance.FOR, "反对": Position.Stance.AGAINST}

    def position_rows(self):
        rows = []
        for line in self.cleaned_data["positions"].splitlines():
            parts = [p.strip() for p in line.split("｜")]
            if len(parts) != 3:
                if line.strip():
                    rows.append(("", "", ""))
                continue
            stance = self.STANCES.get(parts[0], Position.Stance.OTHER)
            rows.append((stance, parts[1], parts[2]))
        return rows


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea, max_length=20_000)
