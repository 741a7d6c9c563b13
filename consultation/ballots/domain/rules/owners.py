"""Owners' joint decisions (业主共同决定), by the owners' assembly or in writing.

Families ``owners-ordinary`` and ``owners-major``. Laws encoded (RULES.md §2.2):

* 《中华人民共和国民法典》第二百七十八条第二款 (Civil Code Art. 278 ¶2, in force
  2021-01-01) [NAT-LAW]: owners' joint decisions. Quorum: participating exclusive
  area ≥ 2/3 of all area AND participating owners ≥ 2/3 of all owners ("三分之二以上").
  Items (6)–(8) of ¶1 (raising maintenance funds; renovation or reconstruction;
  changing the use of common parts or using them for business): yes ≥ 3/4 of the
  participating area AND of the participating owners ("四分之三以上"). Every other
  item: yes > 1/2 of each ("过半数"). Abstention is participation, not yes.
* 《物业管理条例》第十二条 (Property Management Regulation Art. 12, text of
  2007-10-01, superseded on these points by the Civil Code) [NAT-LAW, historic only]:
  quorum > 1/2 of all area and all owners; items (5)–(6) of Art. 11 need ≥ 2/3 of
  ALL area and ALL owners, other items > 1/2 of ALL. Kept to display pre-2021
  decisions.

Silent owners may be counted with the majority (a contested option, RULES.md §2.4):
these rules name their silent dimensions. No Django import here.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import partial

from ..conditions import (
    AllOf,
    Comparator,
    Condition,
    Role,
    Rule,
    SilentDimension,
    StatusTag,
    ValueKind,
    ValueSpec,
)
from .common import APPROVAL, GE, GT, HALF, QUORUM, THREE_QUARTERS, TWO_THIRDS

__all__ = [
    "CIVIL_CODE_278_MAJOR",
    "CIVIL_CODE_278_ORDINARY",
    "OWNER_RULES",
    "PROPERTY_REGULATION_12_LEGACY",
    "PROPERTY_REGULATION_12_LEGACY_MAJOR",
]

_OWNER_INPUTS = (
    ValueSpec("total_area", ValueKind.AREA, "专有部分总面积", "total exclusive area"),
    ValueSpec("total_owners", ValueKind.COUNT, "业主总人数", "total owners"),
    ValueSpec(
        "participating_area",
        ValueKind.AREA,
        "参与表决专有部分面积",
        "participating exclusive area",
    ),
    ValueSpec(
        "participating_owners",
        ValueKind.COUNT,
        "参与表决人数",
        "participating owners",
    ),
    ValueSpec("yes_area", ValueKind.AREA, "同意的专有部分面积", "agreeing area"),
    ValueSpec("yes_owners", ValueKind.COUNT, "同意人数", "agreeing owners"),
)
_OWNER_BOUNDS = (
    ("participating_area", "total_area"),
    ("participating_owners", "total_owners"),
    ("yes_area", "participating_area"),
    ("yes_owners", "participating_owners"),
)
_OWNER_SILENT = (
    SilentDimension("total_area", "participating_area", "yes_area"),
    SilentDimension("total_owners", "participating_owners", "yes_owners"),
)


def _owners_pair(
    role: Role,
    numerators: tuple[str, str],
    denominators: tuple[str, str],
    fraction: Fraction,
    comparator: Comparator,
    zh: tuple[str, str],
    en: tuple[str, str],
) -> AllOf:
    """The area condition AND the head-count condition (双过半 / 双三分之二 …)."""
    return AllOf(
        tuple(
            Condition(
                key=f"{role.value}-{dimension}",
                role=role,
                numerator=numerator,
                denominator=denominator,
                fraction=fraction,
                comparator=comparator,
                text_zh=text_zh,
                text_en=text_en,
            )
            for dimension, numerator, denominator, text_zh, text_en in zip(
                ("area", "owners"), numerators, denominators, zh, en, strict=True
            )
        )
    )


_civil_code_rule = partial(
    Rule,
    source="《民法典》",
    source_en="Civil Code of the PRC",
    article="第二百七十八条第二款",
    article_en="Art. 278 ¶2",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    effective_from=date(2021, 1, 1),
    effective_to=None,
    inputs=_OWNER_INPUTS,
    bounds=_OWNER_BOUNDS,
    silent_dimensions=_OWNER_SILENT,
    quorum=_owners_pair(
        QUORUM,
        ("participating_area", "participating_owners"),
        ("total_area", "total_owners"),
        TWO_THIRDS,
        GE,
        (
            "参与表决专有部分面积占总面积三分之二以上",
            "参与表决人数占总人数三分之二以上",
        ),
        (
            "participating area at least 2/3 of all area",
            "participating owners at least 2/3 of all owners",
        ),
    ),
)

CIVIL_CODE_278_ORDINARY = _civil_code_rule(
    id="civil-code-278-ordinary",
    family="owners-ordinary",
    title_zh="业主共同决定（一般事项）",
    title_en="Owners' joint decision, ordinary matters",
    matters_zh="第二百七十八条第一款第（一）至（五）项、第（九）项",
    matters_en="Art. 278 ¶1 items (1)-(5) and (9), including USING maintenance funds",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("participating_area", "participating_owners"),
        HALF,
        GT,
        ("同意面积超过参与表决面积的一半", "同意人数超过参与表决人数的一半"),
        (
            "agreeing area more than 1/2 of participating area",
            "agreeing owners more than 1/2 of participating owners",
        ),
    ),
)

CIVIL_CODE_278_MAJOR = _civil_code_rule(
    id="civil-code-278-major",
    family="owners-major",
    title_zh="业主共同决定（重大事项）",
    title_en="Owners' joint decision, major matters",
    matters_zh="第二百七十八条第一款第（六）至（八）项：筹集维修资金；改建、重建；"
    "改变共有部分用途或者利用共有部分从事经营活动",
    matters_en="Art. 278 ¶1 items (6)-(8): raising maintenance funds; renovation or "
    "reconstruction; changing the use of common parts or using them for business",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("participating_area", "participating_owners"),
        THREE_QUARTERS,
        GE,
        (
            "同意面积占参与表决面积四分之三以上",
            "同意人数占参与表决人数四分之三以上",
        ),
        (
            "agreeing area at least 3/4 of participating area",
            "agreeing owners at least 3/4 of participating owners",
        ),
    ),
)

_property_regulation_rule = partial(
    Rule,
    source="《物业管理条例》",
    source_en="Property Management Regulation",
    article="第十二条",
    article_en="Art. 12",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    # The 2007 revision (State Council Order No. 504) introduced these thresholds;
    # the 2003 text counted "voting rights" instead and is not encoded.
    effective_from=date(2007, 10, 1),
    effective_to=date(2020, 12, 31),
    inputs=_OWNER_INPUTS,
    bounds=_OWNER_BOUNDS,
    silent_dimensions=_OWNER_SILENT,
    note="Superseded by Civil Code Art. 278 from 2021-01-01; for historic decisions "
    "only. / 已被《民法典》第二百七十八条取代，仅用于显示2021年以前的决定。",
    quorum=_owners_pair(
        QUORUM,
        ("participating_area", "participating_owners"),
        ("total_area", "total_owners"),
        HALF,
        GT,
        (
            "参加的业主专有部分占建筑物总面积过半数",
            "参加的业主占总人数过半数",
        ),
        (
            "participating area more than 1/2 of all area",
            "participating owners more than 1/2 of all owners",
        ),
    ),
)

PROPERTY_REGULATION_12_LEGACY = _property_regulation_rule(
    id="property-regulation-12-legacy",
    family="owners-ordinary",
    title_zh="业主大会决定（一般事项，2021年以前）",
    title_en="Owners' assembly decision, ordinary matters (before 2021)",
    matters_zh="《物业管理条例》第十一条第（一）至（四）项、第（七）项",
    matters_en="Property Management Regulation Art. 11 items (1)-(4) and (7)",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("total_area", "total_owners"),
        HALF,
        GT,
        (
            "同意的业主专有部分占建筑物总面积过半数",
            "同意的业主占总人数过半数",
        ),
        (
            "agreeing area more than 1/2 of ALL area",
            "agreeing owners more than 1/2 of ALL owners",
        ),
    ),
)

PROPERTY_REGULATION_12_LEGACY_MAJOR = _property_regulation_rule(
    id="property-regulation-12-legacy-major",
    family="owners-major",
    title_zh="业主大会决定（维修资金、改建重建，2021年以前）",
    title_en="Owners' assembly decision, maintenance funds and reconstruction "
    "(before 2021)",
    matters_zh="《物业管理条例》第十一条第（五）项筹集和使用专项维修资金、"
    "第（六）项改建重建",
    matters_en="Property Management Regulation Art. 11 items (5) raising AND using "
    "maintenance funds and (6) renovation or reconstruction",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("total_area", "total_owners"),
        TWO_THIRDS,
        GE,
        (
            "同意的业主专有部分占建筑物总面积三分之二以上",
            "同意的业主占总人数三分之二以上",
        ),
        (
            "agreeing area at least 2/3 of ALL area",
            "agreeing owners at least 2/3 of ALL owners",
        ),
    ),
)

OWNER_RULES: tuple[Rule, ...] = (
    CIVIL_CODE_278_ORDINARY,
    CIVIL_CODE_278_MAJOR,
    PROPERTY_REGULATION_12_LEGACY,
    PROPERTY_REGULATION_12_LEGACY_MAJOR,
)
