"""Turn a posted vote form (works without JavaScript) into a raw selection."""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .domain.ballots import BallotKind

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class FormError(ValueError):
    """A form that cannot be read (400), or one whose marks contradict (422)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def idempotency_key_from(data: QueryDict | dict) -> str:
    key = str(data.get("idempotency_key", "") or "").strip()
    if key and not KEY_RE.fullmatch(key):
        raise FormError("bad idempotency key")
    return key


MAX_ID = 10**15


def _int(value: str) -> int:
    text = str(value).strip()
    if not text.lstrip("-").isdigit() or len(text) > 16:
        raise FormError("not a number")
    number = int(text)
    if abs(number) > MAX_ID:
        raise FormError("number out of range")
    return number


def selection_from_form(kind: str, data: QueryDict) -> dict:
    """The raw selection the domain normalises; shape errors surface there."""
    kind = BallotKind(kind)
    if kind == BallotKind.RANKED:
        ranks = []
        for name, value in data.items():
            if name.startswith("rank_") and str(value).strip():
                ranks.append((_int(value), _int(name[5:])))
        given = [rank for rank, _ in ranks]
        if any(rank < 1 for rank in given) or len(given) != len(set(given)):
            # Two options at the same rank would be broken silently by their ids.
            raise FormError("ranks must be distinct and start at 1", status=422)
        return {"ranking": [option for _, option in sorted(ranks)]}
    if kind == BallotKind.RATING:
        return {
            "ratings": {
                name[6:]: _int(value)
                for name, value in data.items()
                if name.startswith("score_") and str(value).strip()
            }
        }
    return {"options": [_int(v) for v in data.getlist("option")]}


class BallotForm(forms.Form):
    """Staff create a draft ballot; the roll is taken when it opens."""

    KIND_CHOICES = [
        ("motion", _("表决（同意/反对/弃权）")),
        ("single", _("单选")),
        ("multiple", _("多选")),
        ("election", _("选举")),
        ("ranked", _("排序复选（即时决选）")),
        ("rating", _("评分（民主评议/满意度）")),
        ("written", _("书面征求意见（入户）")),
    ]
    BASIS_CHOICES = [
        ("owners", _("业主（按专有部分面积和人数）")),
        ("residents_adult", _("年满十八周岁的居民")),
        ("household_representatives", _("户代表")),
        ("group_representatives", _("居民小组代表")),
        ("body_members", _("组织成员")),
        ("party_members", _("党员")),
    ]
    RULE_CHOICES = [
        ("", _("不适用（非表决事项）")),
        ("owners-ordinary", _("业主共同决定：一般事项（民法典第278条）")),
        ("owners-major", _("业主共同决定：重大事项（民法典第278条第6–8项）")),
        ("residents-meeting", _("居民会议")),
        ("owners-committee", _("业主委员会会议")),
        ("party-members-meeting", _("党员大会")),
    ]

    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea, required=False
    )
    kind = forms.ChoiceField(label=_("投票类型"), choices=KIND_CHOICES)
    options = forms.CharField(
        label=_("选项（每行一个；表决类可不填）"),
        widget=forms.Textarea,
        required=False,
    )
    basis = forms.ChoiceField(label=_("表决人范围"), choices=BASIS_CHOICES)
    scope = forms.ChoiceField(label=_("范围"))
    rule_id = forms.ChoiceField(
        label=_("表决规则"), choices=RULE_CHOICES, required=False
    )
    weighted_by_area = forms.BooleanField(
        label=_("按专有部分面积计权（业主表决）"), required=False, initial=True
    )
    secrecy = forms.ChoiceField(
        label=_("记名方式"),
        choices=[("named", _("记名投票")), ("secret", _("无记名投票"))],
    )
    results_visibility = forms.ChoiceField(
        label=_("结果公开方式"),
        choices=[("after_close", _("截止后公开")), ("live", _("实时公开"))],
    )
    min_choices = forms.IntegerField(
        label=_("最少选择"), min_value=0, max_value=200, initial=1
    )
    max_choices = forms.IntegerField(
        label=_("最多选择"), min_value=1, max_value=200, initial=1
    )
    seats = forms.IntegerField(
        label=_("应选名额"), min_value=1, max_value=200, initial=1
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)

    def clean(self):
        data = super().clean()
        labels = [
            line.strip()
            for line in (data.get("options") or "").splitlines()
            if line.strip()
        ]
        if data.get("kind") not in ("motion", "written", None) and len(labels) < 2:
            self.add_error(
                "options", _("至少需要两个选项。 At least two options are needed.")
            )
        if len(labels) != len(set(labels)):
            self.add_error("options", _("选项不能重复。 Options must differ."))
        if (data.get("min_choices") or 0) > (data.get("max_choices") or 0):
            self.add_error(
                "min_choices",
                _("最少选择不能大于最多选择。 Minimum exceeds maximum."),
            )
        data["option_labels"] = labels
        return data
