"""The district's indicator system and a community's assessment for a period:
computed exactly (domain.assessment) from a published satisfaction rating ballot
and the other inputs, published with them."""

from __future__ import annotations

import re
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.ballots.domain.ballots import BallotKind
from consultation.ballots.models import Ballot
from consultation.ballots.selectors import ballot_spec, ballot_tally
from consultation.liaison.domain.lifecycle import RATING_MAX, RATING_MIN
from consultation.liaison.selectors import community_satisfaction
from neighbourhoods.rolls.domain.snapshot import RESIDENT_BASES
from neighbourhoods.rolls.scopes import ScopeKind

from .. import permissions
from ..domain import assessment as rules
from ..models import Assessment, Indicator, IndicatorSystem
from .common import audit, text
from .errors import DutyError, conflict, forbidden, invalid


def _system_message(code: str) -> str:
    messages = {
        "veto": rules.VETO_WORDS,
        "weights_sum": _(
            "各项指标权重之和须恰好为 100%。 The weights must sum to exactly 100 %."
        ),
        "weight_range": _("每项权重须在 1% 至 100% 之间。 Each weight: 1–100 %."),
        "empty": _("指标体系没有指标。 The system has no indicator."),
        "duplicate": _("指标代码重复。 An indicator key is repeated."),
        "no_satisfaction": _(
            "考核须以居民满意度测评为主要依据。 The residents' satisfaction "
            "rating must be one of the indicators."
        ),
        "missing_input": _("有指标没有输入数据。 An indicator has no input."),
        "score_range": _("得分须在 0 至 1 之间。 A score must lie in 0–1."),
    }
    return str(messages.get(code, code))


def _checked(indicators) -> list[rules.Indicator]:
    try:
        domain = [
            rules.Indicator(
                key=str(item["key"]),
                weight=int(item["weight"]),
                source=rules.Source(item["source"]),
                veto=bool(item.get("veto", False)),
            )
            for item in indicators
        ]
        rules.check_system(domain)
    except rules.SystemError_ as error:
        raise invalid(_system_message(error.code), code=error.code) from error
    except (KeyError, TypeError, ValueError) as error:
        raise invalid(_("指标填写有误。 An indicator is malformed.")) from error
    return domain


@transaction.atomic
def indicator_system_adopt(
    *, district, actor, name: str, adopted_on, indicators: list[dict]
) -> IndicatorSystem:
    """One indicator system: weights in whole per cent summing to 100, no veto."""
    if not permissions.can_keep_district(actor, district):
        raise forbidden()
    _checked(indicators)
    system = IndicatorSystem.objects.create(
        district=district, name=text(name, 200, _("名称")), adopted_on=adopted_on
    )
    Indicator.objects.bulk_create(
        Indicator(
            system=system,
            key=str(item["key"])[:50],
            name=text(item.get("name", ""), 200, _("指标")),
            weight=int(item["weight"]),
            source=item["source"],
        )
        for item in indicators
    )
    audit(actor, "indicator_system_adopt", system)
    return system


def _satisfaction(ballot: Ballot, community) -> tuple[Fraction, str]:
    """The residents' mean rating as a score: a published rating ballot whose roll
    is the community's residents (adults, household or group representatives)."""
    ballot = Ballot.objects.get(pk=ballot.pk)
    if (
        ballot.community_id != community.pk
        or ballot.kind != BallotKind.RATING
        or ballot.status != Ballot.Status.PUBLISHED
        or ballot.basis not in RESIDENT_BASES
        or ballot.scope_kind != ScopeKind.COMMUNITY
        or ballot.scope_id != community.pk
    ):
        raise invalid(
            _(
                "满意度须来自本社区居民参加、已公布的评分投票。 Satisfaction must "
                "come from a published rating ballot of this community's residents."
            ),
            code="ballot",
        )
    spec, result = ballot_spec(ballot), ballot_tally(ballot)
    heads = sum(option.heads for option in result.options)
    if heads == 0:
        raise invalid(_("测评没有评分。 The rating has no ratings."), code="ballot")
    mean = Fraction(sum(option.score_sum for option in result.options), heads)
    detail = _(
        "评分投票 #%(id)s，%(n)s 份评分，平均 %(mean)s 分（%(low)s–%(high)s）"
    ) % {
        "id": ballot.pk,
        "n": heads,
        "mean": rules.cut_two(mean),
        "low": spec.rating_min,
        "high": spec.rating_max,
    }
    return rules.rating_score(mean, spec.rating_min, spec.rating_max), detail


def _request_ratings(community) -> tuple[Fraction, str]:
    """Residents' ratings of the answers to their requests (the liaison
    capability), as a score: the exact mean on 1–5 mapped to [0, 1]."""
    found = community_satisfaction(community.pk)
    if not found["rated"]:
        raise invalid(
            _(
                "本社区尚无居民对诉求答复的评价，请填写得分和来源。 No resident has "
                "rated an answer in this community yet: enter a score and its source."
            ),
            code="no_ratings",
        )
    mean = Fraction(found["rating_sum"], found["rated"])
    detail = _(
        "居民对诉求答复的评价 %(n)s 件，平均 %(mean)s 分（1–5），满意 %(ok)s 件"
    ) % {"n": found["rated"], "mean": rules.cut_two(mean), "ok": found["satisfied"]}
    return rules.rating_score(mean, RATING_MIN, RATING_MAX), detail


def _given_score(indicator, given: dict, community) -> tuple[Fraction, str]:
    """An input the office gives; left empty for the requests' ratings, they are
    read from the liaison capability."""
    if indicator.source == rules.Source.REQUEST_RATINGS and not given.get("score"):
        return _request_ratings(community)
    score = _score(given.get("score", ""))
    return score, text(given.get("source", ""), 300, _("数据来源"))


# A score as typed or kept: a plain decimal (at most six places) or a fraction
# ("9/10"), ASCII digits. Fraction() alone also reads "1e-5000", which then cannot
# be written back (and a long exponent takes seconds to read).
_SCORE = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6}|/[0-9]{1,6})?")


def _score(value) -> Fraction:
    text = str(value).strip()
    if not _SCORE.fullmatch(text):
        raise invalid(_("得分格式有误。 A score is malformed."))
    try:
        score = Fraction(text)
    except ZeroDivisionError as error:
        raise invalid(_("得分格式有误。 A score is malformed.")) from error
    if not 0 <= score <= 1:
        raise invalid(_system_message("score_range"), code="score_range")
    return score


@transaction.atomic
def assessment_publish(
    *,
    system: IndicatorSystem,
    community,
    actor,
    period: str,
    ballot: Ballot,
    other_inputs: dict[str, dict],
    now=None,
) -> Assessment:
    """`other_inputs`: {key: {"score": "n/d", "source": "…"}} for every indicator
    that is not the satisfaction ballot; the residents' ratings of answered
    requests, left out or empty, are read from the liaison capability."""
    if not permissions.can_keep_district(actor, system.district):
        raise forbidden()
    indicators = list(system.indicators.all())
    domain = _checked(
        [{"key": i.key, "weight": i.weight, "source": i.source} for i in indicators]
    )
    scores, inputs = {}, {}
    for indicator in indicators:
        if indicator.source == rules.Source.SATISFACTION_BALLOT:
            score, detail = _satisfaction(ballot, community)
        else:
            given = other_inputs.get(indicator.key) or {}
            score, detail = _given_score(indicator, given, community)
        scores[indicator.key] = score
        inputs[indicator.key] = {
            "name": indicator.name,
            "weight": indicator.weight,
            "score": str(score),
            "detail": str(detail),
        }
    total = rules.total(domain, scores)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                system=system,
                community=community,
                period=text(period, 20, _("考核期间")),
                inputs=inputs,
                total=str(total),
                published_at=now or timezone.now(),
            )
    except IntegrityError as error:
        raise conflict(
            _("本期考核已公布。 This period's assessment is published."),
            code="duplicate",
        ) from error
    audit(actor, "assessment_publish", assessment, community_id=community.pk)
    return assessment


__all__ = ["DutyError", "assessment_publish", "indicator_system_adopt"]
