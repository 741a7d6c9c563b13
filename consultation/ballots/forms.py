"""Forms of ballots: a posted vote (works without JavaScript) into a raw selection,
the new-ballot form, and the decision calculator's totals.

Choice values come from one home each: the kinds from ``domain.ballots.BallotKind``,
the bases from the roll's ``RollBasis``, the rule families from ``domain.rules``,
secrecy and results visibility from ``Ballot``'s own choices. Only the labels that
explain a value to staff live here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from neighbourhoods.rolls.domain import RollBasis
from yishi.converters import ascii_digits

from .domain.ballots import BallotKind, is_motion
from .domain.design import BALLOT_RULE_INPUTS
from .domain.rules import FAMILIES, Rule, parse_rule_inputs
from .models import Ballot

# The longest option label (BallotOption.label), the most options, the longest note.
MAX_LABEL = 200
MAX_OPTIONS = 200
MAX_DESCRIPTION = 20_000
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
    if not ascii_digits(text.lstrip("-")) or len(text) > 16:
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


# Labels that explain each value to staff creating a ballot (the values are the
# domain's; a value without a label fails here, at import, not in a page).
KIND_LABELS = {
    BallotKind.MOTION: _("表决（同意/反对/弃权）"),
    BallotKind.SINGLE: _("单选"),
    BallotKind.MULTIPLE: _("多选"),
    BallotKind.ELECTION: _("选举"),
    BallotKind.RANKED: _("排序复选（即时决选）"),
    BallotKind.RATING: _("评分（民主评议/满意度）"),
    BallotKind.WRITTEN: _("书面征求意见（入户）"),
}
BASIS_LABELS = {
    RollBasis.OWNERS: _("业主（按专有部分面积和人数）"),
    RollBasis.RESIDENTS_ADULT: _("年满十八周岁的居民"),
    RollBasis.HOUSEHOLD_REPRESENTATIVES: _("户代表"),
    RollBasis.GROUP_REPRESENTATIVES: _("居民小组代表"),
    RollBasis.BODY_MEMBERS: _("组织成员"),
    RollBasis.PARTY_MEMBERS: _("党员"),
}
FAMILY_LABELS = {
    "owners-ordinary": _("业主共同决定：一般事项（民法典第278条）"),
    "owners-major": _("业主共同决定：重大事项（民法典第278条第6–8项）"),
    "residents-meeting": _("居民会议"),
    "owners-committee": _("业主委员会会议"),
    "committee-meeting": _("党组织委员会会议、“两委”联席会议（需法律审核）"),
    "party-members-meeting": _("党员大会"),
    "party-members-election": _("党员大会选举（须超过五分之四到会）"),
    "residents-representatives-meeting": _("居民代表会议（数值待核）"),
    "villagers-representatives-meeting": _("村民代表会议"),
}


def _labelled(values, labels: Mapping) -> list[tuple[str, str]]:
    return [(str(value), labels[value]) for value in values]


class BallotForm(forms.Form):
    """Staff create a draft ballot; the roll is taken when it opens."""

    KIND_CHOICES = _labelled(BallotKind, KIND_LABELS)
    # Owners first: the most common ballot, and the form's default.
    BASIS_CHOICES = _labelled(
        sorted(RollBasis, key=lambda basis: basis is not RollBasis.OWNERS),
        BASIS_LABELS,
    )
    RULE_CHOICES = [
        ("", _("不适用（非表决事项）")),
        # Only families a ballot can count (the villagers' meeting is for `decide`).
        *_labelled(
            [
                family
                for family, versions in FAMILIES.items()
                if set(versions[-1].input_names) <= BALLOT_RULE_INPUTS
            ],
            FAMILY_LABELS,
        ),
    ]

    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(
        label=_("说明"),
        widget=forms.Textarea,
        required=False,
        max_length=MAX_DESCRIPTION,
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
    concerns_parking = forms.BooleanField(
        label=_("本事项涉及车位（业主表决）"),
        help_text=_(
            "如车位的使用、收费、改建等。涉及车位的事项，车位面积和仅有车位的业主"
            "一律计入，不受本社区车位计票设置影响。"
        ),
        required=False,
        initial=False,
    )
    secrecy = forms.ChoiceField(label=_("记名方式"), choices=Ballot.Secrecy.choices)
    results_visibility = forms.ChoiceField(
        label=_("结果公开方式"),
        choices=Ballot.ResultsVisibility.choices,
        initial=Ballot.ResultsVisibility.AFTER_CLOSE,
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
        kind = data.get("kind")
        if kind is not None and not is_motion(kind) and len(labels) < 2:
            self.add_error(
                "options", _("至少需要两个选项。 At least two options are needed.")
            )
        if any(len(label) > MAX_LABEL for label in labels):
            self.add_error(
                "options",
                _(
                    "每个选项不能超过 %(limit)d 个字。"
                    " Each option may have at most %(limit)d characters."
                )
                % {"limit": MAX_LABEL},
            )
        if len(labels) > MAX_OPTIONS:
            self.add_error(
                "options",
                _("选项不能超过 %(limit)d 个。 At most %(limit)d options.")
                % {"limit": MAX_OPTIONS},
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


# The calculator has one 应到人数 field for the constituency of a residents' meeting
# and the members of a body: the two names are never inputs of the same rule.
_CALCULATOR_ALIASES = {"members": "constituency"}


def calculator_inputs(
    rule: Rule, data: QueryDict | Mapping[str, str]
) -> dict[str, int]:
    """The decision calculator's posted totals for ``rule``, as exact integers.

    Picks the rule's fields out of the form (the others are ignored) and reads them
    with the domain's ``parse_rule_inputs``; raises its ``InvalidValues`` (a
    ``RuleError``; Chinese, then English).
    """
    raw = {}
    for name in rule.input_names:
        alias = _CALCULATOR_ALIASES.get(name, name)
        raw[name] = data.get(name) or data.get(alias) or ""
    return parse_rule_inputs(rule, raw, from_text=True)
