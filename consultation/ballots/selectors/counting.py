"""How a ballot counts parking spaces and blank or invalid papers, for its page and
its tally sheet.

The values are the ballot's own snapshot of its community's settings, taken when it
was created (`services.ballot_create`), so a later change of the setting never
alters an existing ballot; a published tally carries them frozen in its record.
The laws behind them: `neighbourhoods.rolls.domain.owners` (parking) and
`domain.ballots.tally` (blank and invalid papers).
"""

from __future__ import annotations

import functools

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from neighbourhoods.rolls.domain import RollBasis

from ..models import Ballot

PARKING_AREA_BASIS = gettext_lazy("《业主大会和业主委员会指导规则》第二十五条")
PARKING_HEADS_BASIS = gettext_lazy(
    "《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第九条"
)


def counting_settings(ballot: Ballot) -> dict:
    """The ballot's counting settings as plain values (kept in the tally's record)."""
    return {
        "owners": ballot.basis == RollBasis.OWNERS,
        "count_parking_area": ballot.count_parking_area,
        "count_parking_only_owners": ballot.count_parking_only_owners,
        "concerns_parking": ballot.concerns_parking,
        "blank_invalid_participate": ballot.blank_invalid_participate,
    }


def _yes_no(value: bool, yes: str, no: str) -> str:
    return yes if value else no


def _parking_rows(settings: dict) -> list[dict]:
    concerns = bool(settings.get("concerns_parking"))
    forced = _("（本事项涉及车位，一律计入）") if concerns else ""
    area = concerns or bool(settings.get("count_parking_area"))
    heads = concerns or bool(settings.get("count_parking_only_owners", True))
    return [
        {
            "key": "concerns_parking",
            "label": _("本事项涉及车位"),
            "value": _yes_no(concerns, _("是"), _("否")),
            "basis": "",
            "needs_legal_review": False,
        },
        {
            "key": "parking_area",
            "label": _("车位面积"),
            "value": _yes_no(area, _("计入专有部分面积"), _("不计入专有部分面积"))
            + forced,
            "basis": str(PARKING_AREA_BASIS) + _("（由业主大会议事规则约定）"),
            "needs_legal_review": False,
        },
        {
            "key": "parking_only_owners",
            "label": _("仅有车位的业主"),
            "value": _yes_no(heads, _("计入业主人数"), _("不计入业主人数")) + forced,
            "basis": str(PARKING_HEADS_BASIS),
            "needs_legal_review": True,
        },
    ]


def counting_rows(settings: dict | None) -> list[dict]:
    """The settings as the page and the tally sheet print them, each with its law and
    whether it needs legal review. A tally frozen before these settings existed
    has none: nothing is printed rather than a guess."""
    if not settings:
        return []
    rows = _parking_rows(settings) if settings.get("owners") else []
    participate = bool(settings.get("blank_invalid_participate", True))
    rows.append(
        {
            "key": "blank_invalid",
            "label": _("空白票和废票"),
            "value": _yes_no(participate, _("计入参与表决"), _("不计入参与表决"))
            + _("（弃权票始终计入）"),
            "basis": _("法律未明确，本社区设置"),
            "needs_legal_review": True,
        }
    )
    return rows


@functools.lru_cache(maxsize=64)
def _rows_in(language: str | None, settings: tuple) -> tuple[dict, ...]:
    return tuple(counting_rows(dict(settings)))


def ballot_counting_rows(ballot: Ballot) -> list[dict]:
    """For the ballot page: the ballot's own settings, read from the ballot. The rows
    are the same for every ballot with the same settings, in one language: worded
    once per process (a dozen translations every page would otherwise look up)."""
    settings = tuple(sorted(counting_settings(ballot).items()))
    return [dict(row) for row in _rows_in(get_language(), settings)]
