"""How a decision reads to a resident: the rule's conditions in plain Chinese.

The one place that turns an evaluated rule (``Evaluation.as_dict()``, also the
frozen shape of a published tally) into sentences as the law writes them:

    参加表决的专有部分面积 89.68㎡，占总面积 0.51%（须达三分之二以上）✗

Percentages are CUT, never rounded, to two decimals (exact integer arithmetic), so a
share below a threshold never prints the threshold's value: 2/3 − ε reads 66.66%,
not 66.67%. The exact amounts stand beside them (精确值：89.68㎡ ÷ 17543.21㎡), never
a bare fraction such as ``1121/219557`` nor an input's variable name. While a ballot
is open the verdict is provisional (目前……). Thresholds read as the law words them:
"以上" includes the bound (≥), "过半数"/"超过" excludes it (>): 民法典
第一千二百五十九条.

Pure Python; no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from .units import format_area

__all__ = [
    "INPUT_NAMES_ZH",
    "condition_sentence",
    "cut_decimal",
    "cut_percent",
    "decision_wording",
    "fraction_words",
    "requirement_words",
    "verdict",
]

# The rules' inputs as the law and a resident name them (never the variable names).
INPUT_NAMES_ZH: dict[str, str] = {
    "total_area": "总面积",
    "total_owners": "业主总人数",
    "participating_area": "参加表决的专有部分面积",
    "participating_owners": "参加表决人数",
    "yes_area": "同意的专有部分面积",
    "yes_owners": "同意人数",
    "constituency": "应到人数",
    "members": "应到人数",
    "present": "参加表决人数",
    "yes": "同意人数",
    "villagers": "本村十八周岁以上村民人数",
    "villagers_present": "到会的十八周岁以上村民人数",
    "households": "本村户数",
    "households_present": "到会的户代表人数",
    # Convening a residents' meeting / an extraordinary owners' assembly.
    "adult_residents": "十八周岁以上居民人数",
    "proposing_residents": "提议的十八周岁以上居民人数",
    "resident_households": "本居住地区户数",
    "proposing_households": "提议的户数",
    "resident_groups": "居民小组数",
    "proposing_groups": "提议的居民小组数",
    "representatives": "居民代表人数",
    "proposing_representatives": "提议的居民代表人数",
    "proposing_owners": "提议的业主人数",
    # 民法典第二百七十九条.
    "interested_owners": "有利害关系的业主人数",
    "consenting_owners": "同意的有利害关系的业主人数",
    "objecting_owners": "反对的有利害关系的业主人数",
}
# Counts that are not of persons.
_COUNT_UNITS: dict[str, str] = {
    "households": "户",
    "resident_households": "户",
    "proposing_households": "户",
    "resident_groups": "个",
    "proposing_groups": "个",
}
# How each role of a condition is labelled on a result.
_ROLE_LABELS = {"quorum": "参加比例", "approval": "通过比例", "proposal": "提议比例"}
# What a share is "of" reads better without repeating 专有部分 (…占总面积 …).
_GENERIC_NAME = "有关数值"

_DIGITS = "零一二三四五六七八九"
_PROVISIONAL = "；投票仍在进行，结果以截止后的计票为准"
HOLDS_MARK, FAILS_MARK = "✓", "✗"


def _chinese_number(n: int) -> str:
    """1–99 in Chinese numerals (十, 十二, 二十, 九十九); larger as digits."""
    if 0 <= n < 10:
        return _DIGITS[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 else _DIGITS[tens])
            + "十"
            + (_DIGITS[ones] if ones else "")
        )
    return str(n)


def fraction_words(value: Fraction) -> str:
    """2/3 → 三分之二, 1/2 → 二分之一, 1 → 全部."""
    if value == 1:
        return "全部"
    if value == 0:
        return "零"
    return f"{_chinese_number(value.denominator)}分之{_chinese_number(value.numerator)}"


def requirement_words(required: Fraction, comparator: str) -> str:
    """The threshold as the law words it: 须达三分之二以上, 须过半数, 须超过三分之一."""
    if comparator == ">":
        if required == Fraction(1, 2):
            return "须过半数"
        return f"须超过{fraction_words(required)}"
    if required == 1:
        return "须全部同意"
    return f"须达{fraction_words(required)}以上"


def cut_decimal(value: Fraction, places: int = 2) -> str:
    """``value`` cut (toward zero) to ``places`` decimals, exactly: 7/2 → "3.50"."""
    scale = 10**places
    sign = "-" if value < 0 else ""
    units = abs(value.numerator) * scale // value.denominator
    whole, rest = divmod(units, scale)
    return f"{sign}{whole}.{rest:0{places}d}" if places else f"{sign}{whole}"


def cut_percent(numerator: int, denominator: int) -> str | None:
    """numerator/denominator as a percentage cut to two decimals; None for 0 wholes.

    Never rounds up: 1121/219557 → "0.51%", 2/3 → "66.66%", 1999/3000 → "66.63%".
    """
    if denominator <= 0:
        return None
    return cut_decimal(Fraction(numerator * 100, denominator)) + "%"


def _amount(field: str, value: int, kinds: Mapping[str, str]) -> str:
    if str(kinds.get(field, "")).startswith("area") or field.endswith("_area"):
        return f"{format_area(value)}㎡"
    return f"{value}{_COUNT_UNITS.get(field, '人')}"


def condition_sentence(condition: Mapping, kinds: Mapping[str, str]) -> dict:
    """One evaluated condition (``ConditionResult.as_dict()``) in plain Chinese.

    Returns ``text`` (the sentence with its mark), ``share`` (the cut percentage or
    None), ``exact`` (the two amounts, never a bare fraction; also apart as
    ``numerator`` and ``denominator``) and ``requirement``.
    """
    num_field, den_field = condition["numerator_field"], condition["denominator_field"]
    num_name = INPUT_NAMES_ZH.get(num_field, _GENERIC_NAME)
    den_name = INPUT_NAMES_ZH.get(den_field, _GENERIC_NAME)
    numerator, denominator = condition["numerator"], condition["denominator"]
    required = Fraction(str(condition["required"]))
    requirement = requirement_words(required, condition["comparator"])
    share = cut_percent(numerator, denominator)
    mark = HOLDS_MARK if condition["holds"] else FAILS_MARK
    num_amount = _amount(num_field, numerator, kinds)
    den_amount = _amount(den_field, denominator, kinds)
    shown = share if share is not None else "—（总数为零，无法计算）"
    text = f"{num_name} {num_amount}，占{den_name} {shown}（{requirement}）{mark}"
    if condition.get("silent_added"):
        silent = _amount(num_field, condition["silent_added"], kinds)
        text += f"（含按多数意见计入的未表决业主 {silent}）"
    return {
        "text": text,
        "share": share,
        "exact": f"{num_amount} ÷ {den_amount}",
        "numerator": num_amount,
        "denominator": den_amount,
        "requirement": requirement,
        "mark": mark,
    }


def _convening_verdict(decision: Mapping, *, provisional: bool) -> str:
    if provisional:
        if decision.get("passed"):
            return "目前提议已达到法定要求；提议仍在征集，以截止时的统计为准"
        return "目前提议尚未达到法定要求；提议仍在征集，以截止时的统计为准"
    if decision.get("passed"):
        return "提议已达到法定要求，应当召集会议"
    return "提议未达到法定要求，不产生召集会议的义务"


def _consent_verdict(decision: Mapping, *, provisional: bool) -> str:
    values = decision.get("values") or {}
    interested = values.get("interested_owners", 0)
    consenting = values.get("consenting_owners", 0)
    objecting = values.get("objecting_owners", 0)
    silent = interested - consenting - objecting
    if decision.get("passed"):
        return "有利害关系的业主已一致同意"
    missing = f"{objecting}人反对，{silent}人尚未同意"
    if provisional:
        return f"目前尚未获得有利害关系的业主一致同意（{missing}）；意见仍在征集"
    return f"未获得有利害关系的业主一致同意（{missing}），不得将住宅改变为经营性用房"


def verdict(decision: Mapping, *, provisional: bool) -> str:
    """The outcome in one sentence; provisional (目前……) while voting goes on."""
    if decision.get("kind") == "convening":
        return _convening_verdict(decision, provisional=provisional)
    if decision.get("kind") == "consent":
        return _consent_verdict(decision, provisional=provisional)
    if provisional:
        if decision.get("passed"):
            return "目前已达到通过条件" + _PROVISIONAL
        if not decision.get("quorum_met"):
            return "目前参加表决的比例尚未达到法定要求" + _PROVISIONAL
        return "目前同意的比例尚未达到通过要求" + _PROVISIONAL
    if decision.get("passed"):
        return "通过"
    if not decision.get("quorum_met"):
        return "参加表决的比例未达到法定要求，未通过"
    return "同意的比例未达到通过要求，未通过"


def decision_wording(decision: Mapping | None, *, provisional: bool) -> dict | None:
    """Plain-Chinese wording for an evaluated rule (``Evaluation.as_dict()`` shape).

    ``conditions`` in the rule's order, each with its role (参加 / 通过), and the
    ``verdict``. None when there is no decision; an error passes through.
    """
    if not decision:
        return None
    if decision.get("error"):
        return {"error": decision["error"], "conditions": [], "verdict": ""}
    kinds = decision.get("value_kinds") or {}
    conditions = []
    for condition in decision.get("conditions") or []:
        worded = condition_sentence(condition, kinds)
        worded["role"] = _ROLE_LABELS.get(condition["role"], "通过比例")
        if decision.get("kind") == "consent":
            worded["role"] = "一致同意"
        worded["holds"] = bool(condition["holds"])
        conditions.append(worded)
    return {
        "conditions": conditions,
        "verdict": verdict(decision, provisional=provisional),
        "provisional": provisional,
    }
