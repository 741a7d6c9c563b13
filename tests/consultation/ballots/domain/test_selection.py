"""normalise_selection: one paper validated and made canonical, one code per defect."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.ballots import (
    BallotSpec,
    SelectionError,
    normalise_selection,
)
from tests.consultation.ballots.domain.ballot_cases import (
    K,
    choices,
    marked,
    motion,
    selections,
    specs,
)

# --------------------------------------------------------------------------------------
# normalise_selection


@given(st.data(), specs())
def test_normalise_round_trips(data: st.DataObject, spec: BallotSpec) -> None:
    canonical = data.draw(selections(spec))
    assert normalise_selection(spec, canonical) == canonical
    assert json.loads(json.dumps(canonical)) == canonical
    if spec.kind is K.RATING:
        ratings = canonical["ratings"]
        items = data.draw(st.permutations(list(ratings.items())))
        variants = [
            dict(items),
            {"ratings": {int(k): str(v) for k, v in items}},
            {"ratings": {f" {k} ": v for k, v in items}},
        ]
    else:
        key = "ranking" if spec.kind is K.RANKED else "options"
        ids = canonical[key]
        order = ids if spec.kind is K.RANKED else data.draw(st.permutations(ids))
        variants = [
            list(order),
            tuple(order),
            {key: [str(i) for i in order]},
            [f" {i}" for i in order],
        ]
        if len(ids) == 1:
            variants += [ids[0], str(ids[0])]
    for variant in variants:
        assert normalise_selection(spec, variant) == canonical
    if spec.kind is K.RATING:
        assert list(canonical["ratings"]) == [
            str(i) for i in sorted(int(k) for k in canonical["ratings"])
        ]


def _unknown_id(spec: BallotSpec) -> int:
    return max(spec.option_ids) + 1


@given(st.data(), specs())
def test_normalise_rejects_unknown_option(
    data: st.DataObject, spec: BallotSpec
) -> None:
    canonical = data.draw(selections(spec))
    bad_id = _unknown_id(spec)
    if spec.kind is K.RATING:
        raw: object = {
            "ratings": {**canonical["ratings"], str(bad_id): spec.rating_min}
        }
    else:
        key = next(iter(canonical))
        ids = list(canonical[key])
        at = data.draw(st.integers(0, len(ids)))
        raw = {key: [*ids[:at], bad_id, *ids[at:]]}
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, raw)
    assert caught.value.code == "unknown_option"
    assert str(bad_id) in caught.value.message


@given(st.data(), specs())
def test_normalise_rejects_duplicates(data: st.DataObject, spec: BallotSpec) -> None:
    canonical = data.draw(selections(spec))
    chosen = data.draw(st.sampled_from(spec.option_ids))
    if spec.kind is K.RATING:
        # "7" and 7 are two keys of one option.
        raw: object = {
            "ratings": {
                **canonical["ratings"],
                str(chosen): spec.rating_min,
                chosen: spec.rating_max,
            }
        }
    else:
        key = next(iter(canonical))
        raw = {key: [*canonical[key], chosen, str(chosen)]}
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, raw)
    assert caught.value.code == "duplicate"


@given(st.data(), specs(kinds=(K.RATING,)))
def test_normalise_rejects_bad_scores(data: st.DataObject, spec: BallotSpec) -> None:
    option = data.draw(st.sampled_from(spec.option_ids))
    score = data.draw(
        st.one_of(
            st.integers(max_value=spec.rating_min - 1),
            st.integers(min_value=spec.rating_max + 1),
            st.sampled_from([True, None, 4.0, "4.5", "", "五", [4]]),
        )
    )
    ratings = {str(i): spec.rating_min for i in spec.option_ids}
    ratings[str(option)] = score
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, {"ratings": ratings})
    assert caught.value.code == "bad_score"


@given(st.data(), specs())
def test_normalise_counts(data: st.DataObject, spec: BallotSpec) -> None:
    lo, hi = spec.choice_bounds
    n = len(spec.option_ids)
    count = data.draw(st.integers(0, n))
    picked = list(data.draw(st.permutations(spec.option_ids)))[:count]
    if spec.kind is K.RATING:
        raw: object = {"ratings": {str(i): spec.rating_max for i in picked}}
    else:
        raw = picked
    if count == 0 and not spec.allows_blank:
        expected: str | None = "empty"
    elif count == 0 or lo <= count <= hi:
        expected = None
    else:
        expected = "too_few" if count < lo else "too_many"
    if expected is None:
        assert len(marked(spec, normalise_selection(spec, raw))) == count
    else:
        with pytest.raises(SelectionError) as caught:
            normalise_selection(spec, raw)
        assert caught.value.code == expected


@pytest.mark.parametrize(
    ("spec", "raw", "code"),
    [
        (motion(), {"option": [1]}, "bad_shape"),
        (motion(), {"options": [1], "csrf": "x"}, "bad_shape"),
        (motion(), {"ranking": [1]}, "bad_shape"),
        (motion(), [1.0], "bad_shape"),
        (motion(), [True], "bad_shape"),
        (motion(), ["１"], "bad_shape"),  # full-width digit
        (motion(), ["1e0"], "bad_shape"),
        (motion(), ["9" * 40], "bad_shape"),
        (motion(), {1}, "bad_shape"),
        (motion(), "yes", "bad_shape"),
        (motion(), 1.5, "bad_shape"),
        (motion(), [[1]], "bad_shape"),
        (motion(), [None], "bad_shape"),
        (choices(K.RANKED, 3), {"options": [1]}, "bad_shape"),
        (choices(K.RANKED, 3), {"ranking": {1, 2}}, "bad_shape"),
        (choices(K.RATING, 2), [1, 2], "bad_shape"),
        (choices(K.RATING, 2), {"ratings": [4, 4]}, "bad_shape"),
        (choices(K.RATING, 2), {"ratings": {"x": 4}}, "bad_shape"),
        (choices(K.RATING, 2), {"ratings": {"1": 4}, "note": ""}, "bad_shape"),
        (motion(), [1, 2], "too_many"),
        (motion(), [], "empty"),
        (motion(), None, "empty"),
        (motion(), [4], "unknown_option"),
        (motion(), ["-1"], "unknown_option"),
        (motion(), [4, 4], "unknown_option"),  # 400 wins over the other defects
        (motion(), [1, 1], "duplicate"),
        (choices(K.MULTIPLE, 4, min_choices=2, max_choices=3), [1], "too_few"),
        (
            choices(K.MULTIPLE, 4, min_choices=2, max_choices=3),
            [1, 2, 3, 4],
            "too_many",
        ),
        (choices(K.ELECTION, 5, seats=2), [1, 2, 3], "too_many"),
        (choices(K.ELECTION, 5, seats=3, min_choices=2), [1], "too_few"),
        (choices(K.RANKED, 3, min_choices=2), {"ranking": [3]}, "too_few"),
        (choices(K.RANKED, 3), {"ranking": [3, 1, 3]}, "duplicate"),
        (choices(K.RATING, 2), {"ratings": {"1": 4}}, "too_few"),
        (choices(K.RATING, 2), {"ratings": {}}, "empty"),
        (choices(K.RATING, 2), {"ratings": {"1": 6, "2": 4}}, "bad_score"),
        (choices(K.RATING, 2), {"ratings": {"1": 6, "3": 4}}, "unknown_option"),
    ],
)
def test_normalise_rejects_examples(spec: BallotSpec, raw: object, code: str) -> None:
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, raw)
    assert caught.value.code == code
    # Chinese first, then English, in one message.
    message = caught.value.message
    assert message == str(caught.value)
    assert re.match(r"[\u4e00-\u9fff]", message)
    assert re.search(r"。 [A-Z][^\u4e00-\u9fff]*$", message)


def test_normalise_messages() -> None:
    spec = choices(K.MULTIPLE, 4, min_choices=2, max_choices=3)
    with pytest.raises(SelectionError, match=r"^至少选择 2 项。 Choose at least 2\.$"):
        normalise_selection(spec, [1])
    with pytest.raises(SelectionError, match=r"^最多选择 3 项。 Choose at most 3\.$"):
        normalise_selection(spec, [1, 2, 3, 4])


def test_normalise_examples() -> None:
    assert normalise_selection(motion(), "2") == {"options": [2]}
    assert normalise_selection(motion(), {"options": [" 3 "]}) == {"options": [3]}
    multiple = choices(K.MULTIPLE, 12, min_choices=0, max_choices=3)
    assert normalise_selection(multiple, ["12", 2, "10"]) == {"options": [2, 10, 12]}
    assert normalise_selection(multiple, None) == {"options": []}
    ranked = choices(K.RANKED, 3)
    assert normalise_selection(ranked, ["3", 1]) == {"ranking": [3, 1]}
    rating = choices(K.RATING, 10)
    raw = {"ratings": {str(i): str(i % 5 + 1) for i in range(10, 0, -1)}}
    assert list(normalise_selection(rating, raw)["ratings"]) == [
        str(i) for i in range(1, 11)
    ]
