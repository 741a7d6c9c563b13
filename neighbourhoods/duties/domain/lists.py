"""The two lists (两项清单) and the certificate list, by version.

Law: 民发〔2015〕136号 [NAT-NORM] (lists set by the city, admission for new items)
and the Panzhihua opinion [LOCAL]: a list of duties performed by law (依法履行职责
事项) and a list of matters assisting the government (协助政府工作事项), and a list
of certificates. A published version is never edited: a change is a new version
with its own effective date. The version that binds on a day is the published one
with the latest effective date not after that day (§9.3: chosen by the date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Version:
    number: int
    effective_from: date
    published: bool


def in_force(versions, day: date) -> Version | None:
    """The published version binding on `day`, or None."""
    binding = [v for v in versions if v.published and v.effective_from <= day]
    if not binding:
        return None
    return max(binding, key=lambda v: (v.effective_from, v.number))


def may_edit(version: Version) -> bool:
    """Only a draft is edited; a published version changes by a new version."""
    return not version.published


def may_publish(version: Version, versions, today: date) -> str | None:
    """None when it may be published, else why not: a version published already,
    one effective before today, or one not later than a published version's date."""
    if version.published:
        return "published"
    if version.effective_from < today:
        return "effective_in_past"
    later = [
        v
        for v in versions
        if v.published
        and v.number != version.number
        and v.effective_from >= version.effective_from
    ]
    return "not_after_published" if later else None
