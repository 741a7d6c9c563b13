"""Meetings of bodies: the owners' committee and the party members' meeting.

Families ``owners-committee``, ``committee-meeting``, ``party-members-meeting`` and
``party-members-election``. Rules encoded (RULES.md §1.2, §2.6, §9a):

* 《业主大会和业主委员会指导规则》(建房〔2009〕274号) (Guidance Rules, article about
  36–38, partly UNVERIFIED) [NAT-NORM]: the owners' committee meeting needs more than
  half of its members present; decisions need "全体委员半数以上同意" (≥ 1/2 of ALL).
* The meetings of the two committees in 四议两公开 steps 1 and 2 (the community party
  organisation's committee proposing, the joint meeting of the party committee and
  the residents' committee deliberating; RULES.md §1.2) [LOCAL, UNVERIFIED numbers]:
  no national text fixes their quorum; default more than half of the members present
  and more than half of ALL members agreeing (the "minority obeys majority" of
  《城市居民委员会组织法》第十一条 read for the whole committee). A community setting,
  flagged "needs legal review"; the approval may not go below that majority, the
  quorum not below half of the members present (the branch regulation's rule for
  branch committees, article unverified).
* Party members' meeting in 四议两公开 step 3 (RULES.md §1.2) [LOCAL/UNVERIFIED]:
  quorum ≥ 2/3 of the members expected to attend; passes with > 1/2 of them. Its
  floor [NAT-NORM] is 《中国共产党支部工作条例（试行）》(2018) 第十一条 (article number
  read in a reproduction of 共产党员网's text, chapter 4 "工作机制"): "表决必须有半数
  以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过" —
  attendance ≥ 1/2 ("半数以上" includes the half, 民法典第一千二百五十九条, as the
  project reads "以上"), approval > 1/2 of the members with a vote expected. A
  community may loosen its local 2/3 down to that floor, never below.
* Party members' meeting electing a committee [NAT-NORM; article numbers
  UNVERIFIED]: 《中国共产党基层组织选举工作条例》(2020-07-13): "有选举权的到会人数
  超过应到会人数的五分之四，会议有效" (> 4/5, the higher attendance of elections) and
  a candidate is elected with "赞成票超过实到会有选举权的人数的一半" (> 1/2 of those
  with a vote present). The wording is corroborated by several reproductions (and
  was the same in the 1990 暂行条例); the article numbers of the 2020 text could not
  be read: flagged for review.

Members with a vote (有表决权/选举权): full members; probationary members (预备党员)
and members on probation (留党察看) have none and are not in the denominators
(选举工作条例 第五条). No Django import here.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

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
    "BODY_RULES",
    "COMMITTEE_MEETING",
    "OWNERS_COMMITTEE",
    "PARTY_MEMBERS_ELECTION_2020",
    "PARTY_MEMBERS_MEETING",
]

FOUR_FIFTHS = Fraction(4, 5)
_BRANCH_REGULATION = {
    "source": "《中国共产党支部工作条例（试行）》第十一条",
    "source_en": "Regulation on the Work of CPC Branches (Trial, 2018), Art. 11",
    "status_tag": StatusTag.NAT_NORM,
}

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

COMMITTEE_MEETING = Rule(
    id="committee-meeting",
    family="committee-meeting",
    title_zh="党组织委员会会议、“两委”联席会议（四议两公开）",
    title_en="Committee meeting (party committee, joint two-committee meeting)",
    source="地方实践（四议两公开）",
    source_en="local practice (four deliberations, two disclosures)",
    article="党组织提议、“两委”会议商议环节",
    article_en="party proposal and two-committee deliberation steps",
    status_tag=StatusTag.LOCAL,
    needs_legal_review=True,
    # Local practice has no start date of its own.
    effective_from=date.min,
    effective_to=None,
    inputs=(
        ValueSpec("members", ValueKind.COUNT, "委员总数", "all members"),
        ValueSpec("present", ValueKind.COUNT, "出席委员", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "同意委员", "members agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="Per-community setting (RULES.md §1.2), needs legal review. "
    "/ 各社区可配置，需法律审核。",
    floors=(
        StatedFloor(
            "quorum-present",
            HALF,
            GE,
            source="《中国共产党支部工作条例（试行）》（支部委员会会议须有半数以上"
            "委员到会，条号待核）",
            source_en="Regulation on the Work of CPC Branches (Trial, 2018): half "
            "of the committee present (article unverified)",
            status_tag=StatusTag.NAT_NORM,
            needs_legal_review=True,
        ),
        StatedFloor(
            "approval-yes",
            HALF,
            GT,
            source="《城市居民委员会组织法》第十一条（少数服从多数）",
            source_en="Urban Residents' Committee Organic Law, Art. 11 (majority)",
            status_tag=StatusTag.NAT_LAW,
        ),
    ),
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
        comparator=GT,
        text_zh="同意人数超过全体委员的半数",
        text_en="more than half of ALL members agree",
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
        ValueSpec(
            "members",
            ValueKind.COUNT,
            "应到会有表决权的党员",
            "members with a vote expected",
        ),
        ValueSpec("present", ValueKind.COUNT, "实到会党员", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "赞成党员", "members agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="Per-community setting (RULES.md §1.2), never below the branch regulation "
    "(Art. 11). / 各社区可配置，不得低于《中国共产党支部工作条例（试行）》第十一条。",
    floors=(
        StatedFloor("quorum-present", HALF, GE, **_BRANCH_REGULATION),
        StatedFloor("approval-yes", HALF, GT, **_BRANCH_REGULATION),
    ),
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

PARTY_MEMBERS_ELECTION_2020 = Rule(
    id="party-members-election-2020",
    family="party-members-election",
    title_zh="党员大会选举（基层组织选举）",
    title_en="Party members' meeting electing a committee",
    source="《中国共产党基层组织选举工作条例》",
    source_en="Regulation on Elections in CPC Grassroots Organisations (2020)",
    article="（选举有效和当选条款，条号待核）",
    article_en="(validity and election clauses; article numbers unverified)",
    status_tag=StatusTag.NAT_NORM,
    needs_legal_review=True,
    effective_from=date(2020, 7, 13),
    effective_to=None,
    inputs=(
        ValueSpec(
            "members",
            ValueKind.COUNT,
            "应到会有选举权的党员",
            "members with a vote expected",
        ),
        ValueSpec(
            "present", ValueKind.COUNT, "实到会有选举权的党员", "voting members present"
        ),
        ValueSpec(
            "yes", ValueKind.COUNT, "被选举人所得赞成票", "votes for the candidate"
        ),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    matters_zh="选举党的基层组织委员会（每名被选举人分别计算）",
    matters_en="electing a grassroots committee (each candidate counted apart)",
    note="Elections need a higher attendance than other votes (> 4/5). "
    "/ 选举须有选举权的到会人数超过应到会人数的五分之四。",
    quorum=Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=FOUR_FIFTHS,
        comparator=GT,
        text_zh="有选举权的到会人数超过应到会人数的五分之四",
        text_en="more than 4/5 of the members with a vote present",
    ),
    approval=Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="present",
        fraction=HALF,
        comparator=GT,
        text_zh="赞成票超过实到会有选举权的人数的一半",
        text_en="votes for the candidate from more than half of those present",
    ),
)

BODY_RULES: tuple[Rule, ...] = (
    OWNERS_COMMITTEE,
    COMMITTEE_MEETING,
    PARTY_MEMBERS_MEETING,
    PARTY_MEMBERS_ELECTION_2020,
)
