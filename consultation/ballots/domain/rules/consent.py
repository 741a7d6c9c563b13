"""Unanimous consent of a named set: a dwelling turned to business use.

Family ``dwelling-to-business`` (``RuleKind.CONSENT``). Law encoded (RULES.md §2.2,
§9a):

* 《中华人民共和国民法典》第二百七十九条 (Civil Code Art. 279, in force 2021-01-01)
  [NAT-LAW, verified]: an owner who turns a dwelling into business premises must,
  besides complying with laws, regulations and the management covenant, have the
  consent of the interested owners — "有利害关系的业主一致同意": every one of them.
* SPI on building co-ownership (法释〔2009〕7号, amended 2020) 第十条 and 第十一条
  [NAT-LAW, verified]: a majority of interested owners is no defence (Art. 10); the
  other owners of the same building are interested owners, owners of other buildings
  in the area only if they show an adverse effect (Art. 11) — naming the set is for
  staff, this rule counts it.

This is not a majority vote: it passes only when the consenting owners are all the
interested owners (so no one objects and no one is silent). Consent, objection and
silence are exclusive: consenting + objecting ≤ interested. With no interested owner
the article has nothing to count and the rule is refused. Nothing here can be
tightened or loosened (unanimity is the law's and the top). No Django import here.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ..conditions import Condition, Rule, RuleKind, StatusTag, ValueKind, ValueSpec
from .common import APPROVAL, GE

__all__ = ["CIVIL_CODE_279", "CONSENT_RULES"]

CIVIL_CODE_279 = Rule(
    id="civil-code-279",
    family="dwelling-to-business",
    kind=RuleKind.CONSENT,
    title_zh="住宅改变为经营性用房（有利害关系的业主一致同意）",
    title_en="Dwelling turned to business use (unanimous consent of interested owners)",
    source="《民法典》",
    source_en="Civil Code",
    article="第二百七十九条",
    article_en="Art. 279",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    effective_from=date(2021, 1, 1),
    effective_to=None,
    inputs=(
        ValueSpec(
            "interested_owners",
            ValueKind.COUNT,
            "有利害关系的业主人数",
            "interested owners",
        ),
        ValueSpec(
            "consenting_owners",
            ValueKind.COUNT,
            "同意的有利害关系的业主人数",
            "interested owners consenting",
        ),
        ValueSpec(
            "objecting_owners",
            ValueKind.COUNT,
            "反对的有利害关系的业主人数",
            "interested owners objecting",
        ),
    ),
    bounds=(
        ("consenting_owners", "interested_owners"),
        ("objecting_owners", "interested_owners"),
    ),
    sum_bounds=((("consenting_owners", "objecting_owners"), "interested_owners"),),
    positive=("interested_owners",),
    matters_zh="将住宅改变为经营性用房（另须遵守法律、法规以及管理规约）",
    matters_en="turning a dwelling into business premises (laws, regulations and "
    "the management covenant apply besides)",
    note="By default the interested owners are the other owners of the same building "
    "(SPI Art. 11). / 有利害关系的业主默认为本栋建筑物内的其他业主。",
    quorum=None,
    approval=Condition(
        key="consent-all",
        role=APPROVAL,
        numerator="consenting_owners",
        denominator="interested_owners",
        fraction=Fraction(1),
        comparator=GE,
        text_zh="有利害关系的业主一致同意",
        text_en="every interested owner consents",
    ),
)

CONSENT_RULES: tuple[Rule, ...] = (CIVIL_CODE_279,)
