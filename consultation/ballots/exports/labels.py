"""Display names that tally sheets and ballot pages print for stored values.

One home for each: the template filter ``channel_label`` (templatetags/ballots.py)
and every export read them here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Channel

# The channel of results entered from an official source document; not a model
# choice, since nobody casts a vote through it here.
OFFICIAL = gettext_lazy("官方表决系统")


def kind_label(kind: str) -> str:
    labels = {
        "motion": _("议题表决"),
        "written": _("书面征求意见"),
        "single": _("单项选择"),
        "multiple": _("多项选择"),
        "election": _("选举"),
        "ranked": _("排序复选（逐轮淘汰）"),
        "rating": _("评议打分"),
    }
    return labels.get(kind, kind)


def basis_label(basis: str) -> str:
    labels = {
        "residents_adult": _("本社区十八周岁以上居民"),
        "household_representatives": _("户代表"),
        "group_representatives": _("居民小组代表"),
        "body_members": _("组织成员"),
        "party_members": _("党员"),
        "owners": _("业主"),
    }
    return labels.get(basis, basis)


def channel_label(channel: str) -> str:
    """The display name of a voting channel stored in a tally ("online" → 网上投票)."""
    if channel == "official":
        return str(OFFICIAL)
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel


def comparator_label(comparator: str) -> str:
    return {">=": _("≥（以上）"), ">": _("＞（超过）")}.get(comparator, comparator)


def role_label(role: str) -> str:
    return {"quorum": _("参加比例"), "approval": _("通过比例")}.get(role, role)


def local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
