"""The residents' meeting (居民会议), family ``residents-meeting``.

Laws encoded (RULES.md §1, §3):

* 《中华人民共和国城市居民委员会组织法》第九条 (Urban Residents' Committee Organic
  Law Art. 9; 1989 text as amended 2018, in force until 2025-12-31) [NAT-LAW]: the
  residents' meeting needs more than half of its constituency (adults, household
  representatives or group representatives) present; decisions pass with more than
  half of those present.
* The same law as revised 2025-10-28 (in force 2026-01-01) [UNVERIFIED numbers]: its
  quorum articles could not be read, so the rule repeats the 2018 numbers and is
  flagged ``needs_legal_review``. Until verified it may not be loosened below the
  2018 rule (its stated floors, issue 9 item 5).
* The residents' representatives' meeting (居民代表会议, family
  ``residents-representatives-meeting``) [UNVERIFIED]: named by the 2025 revision,
  numbers unread; default the rural analogue (村组法 Art. 26, RULES.md §9a), flagged.
  Until verified it may not be loosened below that analogue.

The convening thresholds of the residents' meeting are in ``convening``.

No Django import here.
"""

from __future__ import annotations

from datetime import date

from ..conditions import (
    Condition,
    Rule,
    StatedFloor,
    StatusTag,
    ValueKind,
    ValueSpec,
)
from .common import APPROVAL, GE, GT, HALF, QUORUM, TWO_THIRDS

__all__ = [
    "RESIDENTS_MEETING_2018",
    "RESIDENTS_MEETING_2025",
    "RESIDENTS_REPRESENTATIVES_MEETING",
    "RESIDENTS_RULES",
]

_MEETING_INPUTS = (
    ValueSpec(
        "constituency",
        ValueKind.COUNT,
        "应到人数（十八周岁以上居民、户代表或者居民小组代表）",
        "constituency (adult residents, household or group representatives)",
    ),
    ValueSpec("present", ValueKind.COUNT, "出席人数", "present"),
    ValueSpec("yes", ValueKind.COUNT, "同意人数", "agreeing"),
)
_MEETING_BOUNDS = (("present", "constituency"), ("yes", "present"))


def _residents_quorum() -> Condition:
    return Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="constituency",
        fraction=HALF,
        comparator=GT,
        text_zh="出席人数超过应到人数的一半",
        text_en="more than half of the constituency present",
    )


def _residents_approval() -> Condition:
    return Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="present",
        fraction=HALF,
        comparator=GT,
        text_zh="同意人数超过出席人数的一半",
        text_en="more than half of those present agree",
    )


RESIDENTS_MEETING_2018 = Rule(
    id="residents-meeting-2018",
    family="residents-meeting",
    title_zh="居民会议（2018年修正的居组法）",
    title_en="Residents' meeting (Organic Law as amended 2018)",
    source="《城市居民委员会组织法》",
    source_en="Urban Residents' Committee Organic Law",
    article="第九条",
    article_en="Art. 9",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    # Art. 9 is unchanged since the 1989 law took effect; the 2025 revision replaces it.
    effective_from=date(1990, 1, 1),
    effective_to=date(2025, 12, 31),
    inputs=_MEETING_INPUTS,
    bounds=_MEETING_BOUNDS,
    matters_zh="涉及全体居民利益的重要问题（第十条）",
    matters_en="important issues involving the interests of all residents (Art. 10)",
    quorum=_residents_quorum(),
    approval=_residents_approval(),
)

# Until the 2025 text is verified, the placeholder may be tightened, never loosened
# below the 2018 rule it repeats.
_FLOOR_2018 = {
    "source": "《城市居民委员会组织法》（2018年修正）第九条（2025年修订文本核实前）",
    "source_en": "Urban Residents' Committee Organic Law as amended 2018, Art. 9 "
    "(until the 2025 text is verified)",
    "status_tag": StatusTag.NAT_LAW,
}

RESIDENTS_MEETING_2025 = Rule(
    id="residents-meeting-2025",
    family="residents-meeting",
    title_zh="居民会议（2025年修订的居组法，数值待核）",
    title_en="Residents' meeting (Organic Law as revised 2025; numbers unverified)",
    source="《城市居民委员会组织法》（2025年修订）",
    source_en="Urban Residents' Committee Organic Law (revised 2025)",
    article="第四章（条号待核）",
    article_en="ch. 4 (article unverified)",
    status_tag=StatusTag.UNVERIFIED,
    needs_legal_review=True,
    effective_from=date(2026, 1, 1),
    effective_to=None,
    inputs=_MEETING_INPUTS,
    bounds=_MEETING_BOUNDS,
    note="Placeholder: the 2018 numbers until the official text is checked; not "
    "to be loosened below them. "
    "/ 暂沿用2018年数值，待核对正式文本；不得低于2018年规定。",
    quorum=_residents_quorum(),
    approval=_residents_approval(),
    floors=(
        StatedFloor("quorum-present", HALF, GT, **_FLOOR_2018),
        StatedFloor("approval-yes", HALF, GT, **_FLOOR_2018),
    ),
)


_RURAL_ANALOGUE = {
    "source": "《村民委员会组织法》第二十六条（参照；居民代表会议数值核实前）",
    "source_en": "Villagers' Committee Organic Law, Art. 26 (by analogy, until the "
    "residents' representatives' numbers are verified)",
    "status_tag": StatusTag.NAT_LAW,
}

# 居民代表会议: the 2025 revision names it, its numbers could not be read (RULES.md
# §9a). Default: the rural analogue, 《村民委员会组织法》第二十六条 — at least 2/3 of
# its members present, more than half of those present agree. Flagged for review.
RESIDENTS_REPRESENTATIVES_MEETING = Rule(
    id="residents-representatives-meeting",
    family="residents-representatives-meeting",
    title_zh="居民代表会议（数值待核，参照村民代表会议）",
    title_en="Residents' representatives' meeting (numbers unverified; rural analogue)",
    source="参照《村民委员会组织法》",
    source_en="by analogy with the Villagers' Committee Organic Law",
    article="第二十六条（居民代表会议数值待核）",
    article_en="Art. 26 (residents' representatives' numbers unverified)",
    status_tag=StatusTag.UNVERIFIED,
    needs_legal_review=True,
    # Practised locally before the 2025 revision named it: no start date of its own.
    effective_from=date.min,
    effective_to=None,
    inputs=(
        ValueSpec("members", ValueKind.COUNT, "居民代表会议组成人员", "members"),
        ValueSpec("present", ValueKind.COUNT, "到会人数", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "同意人数", "agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="Setting: the rural analogue until the 2025 text is checked, not to be "
    "loosened below it. / 暂参照村民代表会议，待核对2025年修订文本，不得低于该标准。",
    quorum=Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=TWO_THIRDS,
        comparator=GE,
        text_zh="三分之二以上的组成人员到会",
        text_en="at least 2/3 of the members present",
    ),
    approval=_residents_approval(),
    floors=(
        StatedFloor("quorum-present", TWO_THIRDS, GE, **_RURAL_ANALOGUE),
        StatedFloor("approval-yes", HALF, GT, **_RURAL_ANALOGUE),
    ),
)

RESIDENTS_RULES: tuple[Rule, ...] = (
    RESIDENTS_MEETING_2018,
    RESIDENTS_MEETING_2025,
    RESIDENTS_REPRESENTATIVES_MEETING,
)
