"""Village bodies, for mixed communities: the villagers' meeting and the villagers'
representatives' meeting (families ``villagers-meeting``,
``villagers-representatives-meeting``).

Laws encoded (RULES.md §9a):

* 《中华人民共和国村民委员会组织法》第二十二条 (Villagers' Committee Organic Law
  Art. 22, as revised 2010 and amended 2018) [NAT-LAW, verified]: a villagers' meeting
  needs more than half of the villagers aged 18 or over, OR at least 2/3 of the
  households' representatives, present; its decisions pass with more than half of
  those present ("到会人员的过半数").
* Same law, 第二十六条 (Art. 26) [NAT-LAW, verified]: a villagers' representatives'
  meeting needs at least 2/3 of its members present; more than half of those present
  agree.
* The amendment adopted 2025-10-28 takes effect 2026-01-01 (RULES.md §0.2); its text
  could not be read: from that day the same numbers, tagged UNVERIFIED and flagged,
  and not to be loosened below the 2018 text until verified (stated floors).

The villagers' meeting counts two constituencies (adults, households) at once, which a
ballot's single roll cannot give: it is a rule for `decide` and the calculator.
No Django import here.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from ..conditions import (
    AnyOf,
    Condition,
    Rule,
    StatedFloor,
    StatusTag,
    ValueKind,
    ValueSpec,
)
from .common import APPROVAL, GE, GT, HALF, QUORUM, TWO_THIRDS

__all__ = [
    "VILLAGERS_MEETING_2010",
    "VILLAGERS_MEETING_2026",
    "VILLAGERS_REPRESENTATIVES_2010",
    "VILLAGERS_REPRESENTATIVES_2026",
    "VILLAGE_RULES",
]

_AMENDMENT_NOTE = (
    "The 2025 amendment (in force 2026-01-01) could not be read: the 2018 numbers, "
    "flagged. / 2025年修正文本未能核对，暂沿用原数值。"
)
_law = partial(
    Rule,
    source="《村民委员会组织法》",
    source_en="Villagers' Committee Organic Law",
)
_2010 = {
    "status_tag": StatusTag.NAT_LAW,
    "needs_legal_review": False,
    # Article numbers of the 2010 revision (in force 2010-10-28), amended 2018.
    "effective_from": date(2010, 10, 28),
    "effective_to": date(2025, 12, 31),
}
_2026 = {
    "status_tag": StatusTag.UNVERIFIED,
    "needs_legal_review": True,
    "effective_from": date(2026, 1, 1),
    "effective_to": None,
    "note": _AMENDMENT_NOTE,
}


def _present_agree() -> Condition:
    return Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="present",
        fraction=HALF,
        comparator=GT,
        text_zh="到会人员的过半数同意",
        text_en="more than half of those present agree",
    )


_MEETING = {
    "family": "villagers-meeting",
    "title_en": "Villagers' meeting",
    "inputs": (
        ValueSpec("villagers", ValueKind.COUNT, "本村十八周岁以上村民", "adults"),
        ValueSpec("villagers_present", ValueKind.COUNT, "到会村民", "adults present"),
        ValueSpec("households", ValueKind.COUNT, "本村户数", "households"),
        ValueSpec(
            "households_present", ValueKind.COUNT, "到会户代表", "household reps"
        ),
        ValueSpec("present", ValueKind.COUNT, "到会人员", "present"),
        ValueSpec("yes", ValueKind.COUNT, "同意人数", "agreeing"),
    ),
    "bounds": (
        ("villagers_present", "villagers"),
        ("households_present", "households"),
        ("yes", "present"),
    ),
    "matters_zh": "第二十四条所列事项",
    "matters_en": "the matters of Art. 24",
    "quorum": AnyOf(
        (
            Condition(
                key="quorum-villagers",
                role=QUORUM,
                numerator="villagers_present",
                denominator="villagers",
                fraction=HALF,
                comparator=GT,
                text_zh="本村十八周岁以上村民的过半数参加",
                text_en="more than half of the adult villagers present",
            ),
            Condition(
                key="quorum-households",
                role=QUORUM,
                numerator="households_present",
                denominator="households",
                fraction=TWO_THIRDS,
                comparator=GE,
                text_zh="本村三分之二以上的户的代表参加",
                text_en="representatives of at least 2/3 of households present",
            ),
        )
    ),
    "approval": _present_agree(),
}

_REPRESENTATIVES = {
    "family": "villagers-representatives-meeting",
    "title_en": "Villagers' representatives' meeting",
    "inputs": (
        ValueSpec("members", ValueKind.COUNT, "村民代表会议组成人员", "members"),
        ValueSpec("present", ValueKind.COUNT, "到会人数", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "同意人数", "agreeing"),
    ),
    "bounds": (("present", "members"), ("yes", "present")),
    "quorum": Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=TWO_THIRDS,
        comparator=GE,
        text_zh="三分之二以上的组成人员参加",
        text_en="at least 2/3 of the members present",
    ),
    "approval": _present_agree(),
}


def _floors_2018(article: str, article_en: str, *keys_and_limits) -> tuple:
    """The 2018 text as the floor of its unverified 2025 amendment."""
    return tuple(
        StatedFloor(
            key,
            fraction,
            comparator,
            source=f"《村民委员会组织法》（2018年修正）{article}（2025年修正文本核实前）",
            source_en=f"Villagers' Committee Organic Law as amended 2018, "
            f"{article_en} (until the 2025 amendment is verified)",
            status_tag=StatusTag.NAT_LAW,
        )
        for key, fraction, comparator in keys_and_limits
    )


VILLAGERS_MEETING_2010 = _law(
    id="villagers-meeting-2010",
    title_zh="村民会议",
    article="第二十二条",
    article_en="Art. 22",
    **_MEETING,
    **_2010,
)
VILLAGERS_MEETING_2026 = _law(
    id="villagers-meeting-2026",
    title_zh="村民会议（2025年修正，数值待核）",
    article="（2025年修正，条号待核）",
    article_en="(as amended 2025; article unverified)",
    floors=_floors_2018(
        "第二十二条",
        "Art. 22",
        ("quorum-villagers", HALF, GT),
        ("quorum-households", TWO_THIRDS, GE),
        ("approval-yes", HALF, GT),
    ),
    **_MEETING,
    **_2026,
)
VILLAGERS_REPRESENTATIVES_2010 = _law(
    id="villagers-representatives-meeting-2010",
    title_zh="村民代表会议",
    article="第二十六条",
    article_en="Art. 26",
    **_REPRESENTATIVES,
    **_2010,
)
VILLAGERS_REPRESENTATIVES_2026 = _law(
    id="villagers-representatives-meeting-2026",
    title_zh="村民代表会议（2025年修正，数值待核）",
    article="（2025年修正，条号待核）",
    article_en="(as amended 2025; article unverified)",
    floors=_floors_2018(
        "第二十六条",
        "Art. 26",
        ("quorum-present", TWO_THIRDS, GE),
        ("approval-yes", HALF, GT),
    ),
    **_REPRESENTATIVES,
    **_2026,
)

VILLAGE_RULES: tuple[Rule, ...] = (
    VILLAGERS_MEETING_2010,
    VILLAGERS_MEETING_2026,
    VILLAGERS_REPRESENTATIVES_2010,
    VILLAGERS_REPRESENTATIVES_2026,
)
