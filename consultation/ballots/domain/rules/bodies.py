"""Meetings of bodies: the owners' committee and the party members' meeting.

Families ``owners-committee`` and ``party-members-meeting``. Rules encoded (RULES.md
§1.2, §2.6):

* 《业主大会和业主委员会指导规则》(建房〔2009〕274号) (Guidance Rules, article about
  36–38, partly UNVERIFIED) [NAT-NORM]: the owners' committee meeting needs more than
  half of its members present; decisions need "全体委员半数以上同意" (≥ 1/2 of ALL).
* Party members' meeting in 四议两公开 step 3 (RULES.md §1.2) [LOCAL/UNVERIFIED]:
  quorum ≥ 2/3 of the members expected to attend; passes with > 1/2 of them.

No Django import here.
"""

from __future__ import annotations

from datetime import date

from ..conditions import Condition, Rule, StatusTag, ValueKind, ValueSpec
from .common import APPROVAL, GE, GT, HALF, QUORUM, TWO_THIRDS

__all__ = ["BODY_RULES", "OWNERS_COMMITTEE", "PARTY_MEMBERS_MEETING"]

OWNERS_COMMITTEE = Rule(
    id="owners-committee",
    family="owners-committee",
    title_zh="业主委员会会议",
    title_en="Owners' committee meeting",
    source="《业主大会和业主委员会指导规则》",
    source_en="Guidance Rules on Owners' Assemblies and Committees (2009)",
    article="约第三十六至三十八条（条号待核）",
    article_en="about Arts. 36-38 (article numbers unverified)",
    status_tag=StatusTag.NAT_NORM,
    needs_legal_review=True,
    effective_from=date(2010, 1, 1),
    effective_to=None,
    inputs=(
        ValueSpec("members", ValueKind.COUNT, "委员总数", "all members"),
        ValueSpec("present", ValueKind.COUNT, "出席委员", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "同意委员", "members agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="No proxies. 不得委托。",
    quorum=Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=HALF,
        comparator=GT,
        text_zh="过半数委员出席",
        text_en="more than half of the members present",
    ),
    approval=Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="members",
        fraction=HALF,
        comparator=GE,
        text_zh="全体委员半数以上同意",
        text_en="at least half of ALL members agree",
    ),
)

PARTY_MEMBERS_MEETING = Rule(
    id="party-members-meeting",
    family="party-members-meeting",
    title_zh="党员大会审议（四议两公开）",
    title_en="Party members' meeting (four deliberations, step 3)",
    source="地方实践（四议两公开）",
    source_en="local practice (four deliberations, two disclosures)",
    article="党员大会审议环节",
    article_en="party members' review step",
    status_tag=StatusTag.LOCAL,
    needs_legal_review=True,
    # Local practice has no start date of its own.
    effective_from=date.min,
    effective_to=None,
    inputs=(
        ValueSpec("members", ValueKind.COUNT, "应到会党员", "members expected"),
        ValueSpec("present", ValueKind.COUNT, "实到会党员", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "赞成党员", "members agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="Per-community setting (RULES.md §1.2). / 各社区可配置。",
    quorum=Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=TWO_THIRDS,
        comparator=GE,
        text_zh="到会党员达到应到会党员的三分之二以上",
        text_en="at least 2/3 of the members expected present",
    ),
    approval=Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="members",
        fraction=HALF,
        comparator=GT,
        text_zh="赞成人数超过应到会党员的半数",
        text_en="more than half of the members expected agree",
    ),
)

BODY_RULES: tuple[Rule, ...] = (OWNERS_COMMITTEE, PARTY_MEMBERS_MEETING)
