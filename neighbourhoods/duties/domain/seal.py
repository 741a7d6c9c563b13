"""Certificates a community may issue and the use of its seal (RULES.md §7).

Law: 民政部等六部门《关于改进和规范基层群众性自治组织出具证明工作的指导意见》
(2020) [NAT-NORM; document number UNVERIFIED]: a community issues only the
certificates with an explicit legal basis that are within its duties — the district's
certificate list (证明事项清单); it must not issue the items of the negative list
(a few below, each with the department that answers for it); the Panzhihua opinion
[LOCAL] keeps a seal-use list (社区印章使用清单): the seal is used only for a listed
certificate or an approved document. 上海市居民委员会工作条例 Art. 28 [LOCAL]: the
committee may refuse a certificate outside the list.

A seal use names its reason: a certificate issued under a listed kind in force on the
day, or a document approved through admission (an admitted task's agreement).
Anything else is refused. Pure Python.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class Reason(enum.StrEnum):
    CERTIFICATE = "certificate"
    APPROVED_DOCUMENT = "approved_document"


class SealRefusal(enum.StrEnum):
    NO_REASON = "no_reason"
    KIND_NOT_LISTED = "kind_not_listed"
    DOCUMENT_NOT_APPROVED = "document_not_approved"


@dataclass(frozen=True)
class SealUse:
    reason: Reason | str
    # CERTIFICATE: the certificate's kind and the kinds listed on the day of use.
    kind_id: int | None = None
    listed_kind_ids: frozenset[int] = frozenset()
    # APPROVED_DOCUMENT: whether the document it seals was approved (admitted).
    document_approved: bool = False


def seal_refusal(use: SealUse) -> SealRefusal | None:
    """None when the seal may be used; otherwise why not."""
    try:
        reason = Reason(use.reason)
    except ValueError:
        return SealRefusal.NO_REASON
    if reason is Reason.CERTIFICATE:
        if use.kind_id is None or use.kind_id not in use.listed_kind_ids:
            return SealRefusal.KIND_NOT_LISTED
        return None
    if not use.document_approved:
        return SealRefusal.DOCUMENT_NOT_APPROVED
    return None


# Items of the negative list (第一批) and who answers for them instead. The
# departments named are the usual ones; a district may name another on the notice.
NEGATIVE_LIST: dict[str, str] = {
    "亲属关系证明": "公安机关户籍管理部门或公证机构",
    "户籍登记证明": "公安派出所",
    "无犯罪记录证明": "公安机关",
    "婚姻状况证明": "民政部门婚姻登记机关",
    "死亡证明": "医疗卫生机构或公安机关",
    "出生证明": "医疗卫生机构",
    "房屋产权证明": "不动产登记机构",
    "收入证明": "所在工作单位",
}


def responsible_department(requested: str) -> str | None:
    """The department the negative list names for a request, if it is one."""
    text = requested.strip()
    for item, department in NEGATIVE_LIST.items():
        if item in text or (text in item and len(text) >= 2):
            return department
    return None


def valid_on(issued_on: date, valid_until: date | None, today: date) -> bool:
    """Whether a certificate is still valid on `today` (the last day included:
    "届满" includes the day, 民法典 Art. 1259)."""
    if today < issued_on:
        return False
    return valid_until is None or today <= valid_until
