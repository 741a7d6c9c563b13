"""One paper's selection: validated against its ballot and made canonical.

Encodes what a paper may mark (RULES.md §2.2–§2.4; see the package docstring): a
MOTION/WRITTEN/SINGLE paper marks one option, MULTIPLE and ELECTION papers
``min_choices``..``max_choices``/``seats``, a RANKED paper ranks options, a RATING
paper rates each option ``rating_min``..``rating_max``; a blank paper only when
``min_choices == 0``. No Django import here: error messages are plain
Chinese-then-English strings, and ``SelectionError.code`` lets the service pick a
translated message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .spec import BallotKind, BallotSpec

__all__ = ["SelectionError", "normalise_selection"]


class SelectionError(ValueError):
    """One paper's selection is refused.

    ``code`` is one of ``too_few``, ``too_many``, ``unknown_option`` (→ HTTP 400: the
    client sent an id that is not on the ballot), ``duplicate``, ``bad_shape``,
    ``bad_score``, ``empty`` (→ 422). ``message`` is Chinese, then English.
    """

    CODES = frozenset(
        {
            "too_few",
            "too_many",
            "unknown_option",
            "duplicate",
            "bad_shape",
            "bad_score",
            "empty",
        }
    )

    def __init__(self, code: str, message: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown SelectionError code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


# ASCII digits only (str.isdigit and int() also accept "１２"); 18 digits bound the
# work int() does on hostile input, and no option id is that long.
_INT_RE = re.compile(r"-?[0-9]{1,18}")


def _as_int(value: object) -> int | None:
    """An int, or a string holding one; None for anything else (bool, float …)."""
    if type(value) is int:
        return value
    if isinstance(value, str):
        text = value.strip()
        if _INT_RE.fullmatch(text):
            return int(text)
    return None


def _bad_shape(detail_zh: str, detail_en: str) -> SelectionError:
    return SelectionError(
        "bad_shape", f"选票格式不正确：{detail_zh}。 Malformed selection: {detail_en}."
    )


def _unwrap(raw: object, key: str) -> object:
    """The payload under ``key``; bare payloads are accepted too."""
    if isinstance(raw, Mapping):
        if set(raw) == {key}:
            return raw[key]
        raise _bad_shape(f"应只含“{key}”一项", f"expected exactly the key {key!r}")
    return raw


def _id_list(payload: object) -> list[int]:
    """A list/tuple of ids or one bare id → ints (order kept); None → []."""
    if payload is None:
        return []
    if isinstance(payload, list | tuple):
        items = list(payload)
    elif type(payload) is int or isinstance(payload, str):
        items = [payload]
    else:
        raise _bad_shape("应为选项编号列表", "expected a list of option ids")
    ids: list[int] = []
    for item in items:
        value = _as_int(item)
        if value is None:
            raise _bad_shape(f"“{item!r}”不是选项编号", f"{item!r} is not an option id")
        ids.append(value)
    return ids


def _check_ids(spec: BallotSpec, ids: list[int]) -> None:
    """unknown_option before duplicate, so tampering is always answered with 400."""
    known = set(spec.option_ids)
    for value in ids:
        if value not in known:
            raise SelectionError(
                "unknown_option",
                f"选项 {value} 不属于本次表决。 Option {value} is not on this ballot.",
            )
    seen: set[int] = set()
    for value in ids:
        if value in seen:
            raise SelectionError(
                "duplicate",
                f"选项 {value} 重复。 Option {value} appears more than once.",
            )
        seen.add(value)


def _check_count(spec: BallotSpec, count: int) -> None:
    lo, hi = spec.choice_bounds
    if count == 0:
        if spec.allows_blank:
            return
        raise SelectionError("empty", "未作任何选择。 Nothing was chosen.")
    if count > hi:
        raise SelectionError("too_many", f"最多选择 {hi} 项。 Choose at most {hi}.")
    if count < lo:
        if spec.kind is BallotKind.RATING and not spec.allow_partial_rating:
            raise SelectionError(
                "too_few", f"须为全部 {lo} 项评分。 Rate all {lo} options."
            )
        raise SelectionError("too_few", f"至少选择 {lo} 项。 Choose at least {lo}.")


def _ratings(spec: BallotSpec, raw: object) -> dict[str, int]:
    if raw is None:
        payload: object = {}
    elif isinstance(raw, Mapping) and "ratings" in raw:
        payload = _unwrap(raw, "ratings")
    else:
        payload = raw  # a bare {"<id>": score} mapping
    if not isinstance(payload, Mapping):
        raise _bad_shape(
            "评分应为“选项：分数”", "ratings must map option ids to scores"
        )
    pairs: list[tuple[int, object]] = []
    for key, score in payload.items():
        value = _as_int(key)
        if value is None:
            raise _bad_shape(f"“{key!r}”不是选项编号", f"{key!r} is not an option id")
        pairs.append((value, score))
    _check_ids(spec, [value for value, _ in pairs])
    low, high = spec.rating_min, spec.rating_max
    ratings: dict[int, int] = {}
    for value, score in pairs:
        number = _as_int(score)
        if number is None or not low <= number <= high:
            raise SelectionError(
                "bad_score",
                f"选项 {value} 的评分须为 {low} 至 {high} 的整数。 "
                f"The score of option {value} must be a whole number "
                f"from {low} to {high}.",
            )
        ratings[value] = number
    _check_count(spec, len(ratings))
    return {str(key): ratings[key] for key in sorted(ratings)}


def normalise_selection(spec: BallotSpec, raw: object) -> dict:
    """Validate what a form or the API sent and return the canonical stored dict.

    Accepted input:

    * MOTION/WRITTEN/SINGLE/MULTIPLE/ELECTION: ``{"options": [ids]}``, a bare list
      (or tuple) of ids, or one bare id; ids may be ints or strings such as ``"12"``.
      → ``{"options": [ids ascending]}``.
    * RANKED: ``{"ranking": [ids, best first]}`` or a bare list.
      → ``{"ranking": [ids, best first]}``.
    * RATING: ``{"ratings": {"<id>": score}}`` or the bare mapping; scores may be
      strings. → ``{"ratings": {"<id>": int}}`` with keys in ascending id order.
    * ``None`` is an empty selection (a blank paper when ``min_choices == 0``).

    A mapping with any other key is ``bad_shape``. Checks run in this order, so one
    defect always gives one code: ``bad_shape`` → ``unknown_option`` → ``duplicate``
    → ``bad_score`` → ``empty``/``too_few``/``too_many``.
    """
    kind = spec.kind
    if kind is BallotKind.RATING:
        return {"ratings": _ratings(spec, raw)}
    if kind is BallotKind.RANKED:
        ranking = _id_list(_unwrap(raw, "ranking"))
        _check_ids(spec, ranking)
        _check_count(spec, len(ranking))
        return {"ranking": ranking}
    ids = _id_list(_unwrap(raw, "options"))
    _check_ids(spec, ids)
    _check_count(spec, len(ids))
    return {"options": sorted(ids)}
