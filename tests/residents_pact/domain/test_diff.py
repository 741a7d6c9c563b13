"""The clause diff on Chinese text: characters within a clause, articles added,
removed and moved, identity by key not by number."""

from hypothesis import given, settings
from hypothesis import strategies as st

from residents_pact.domain.diff import Article, Change, char_segments, diff_versions


def arts(*pairs):
    return [Article(k, i, "总则", t) for i, (k, t) in enumerate(pairs, start=1)]


def test_changed_characters_are_marked_within_a_clause():
    (d,) = diff_versions(
        arts(("a", "居民应当爱护公共绿地。")),
        arts(("a", "居民应当共同爱护公共绿地和设施。")),
    )
    assert d.change == Change.CHANGED
    assert not d.moved
    inserted = "".join(s.text for s in d.segments if s.op == "insert")
    assert inserted == "共同和设施"
    assert not [s for s in d.segments if s.op == "delete"]


def test_added_removed_and_renumbered():
    old = arts(("a", "第一条文"), ("b", "第二条文"), ("c", "第三条文"))
    new = arts(("a", "第一条文"), ("n", "新增条文"), ("c", "第三条文"))
    result = {d.key: d for d in diff_versions(old, new)}
    assert (result["n"].change, result["n"].new_number) == (Change.ADDED, 2)
    assert (result["b"].change, result["b"].old_number) == (Change.REMOVED, 2)
    assert (result["c"].change, result["c"].moved) == (Change.KEPT, False)
    assert [d.key for d in diff_versions(old, new)] == ["a", "b", "n", "c"]


def test_a_moved_article_is_shown_as_moved_not_as_removed_and_added():
    old = arts(("a", "甲"), ("b", "乙"), ("c", "丙"), ("d", "丁"))
    new = arts(("b", "乙"), ("c", "丙"), ("a", "甲"), ("d", "丁"))
    result = {d.key: d for d in diff_versions(old, new)}
    assert [k for k, d in result.items() if d.moved] == ["a"]
    assert all(d.change == Change.KEPT for d in result.values())


texts = st.text(alphabet="居民公约应当爱护绿地设施车辆停放。，和不得", max_size=30)


@given(texts, texts)
def test_segments_rebuild_both_texts(old, new):
    segments = char_segments(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert all(s.text for s in segments)


@settings(max_examples=60)
@given(
    st.lists(st.integers(0, 30), unique=True, max_size=12),
    st.lists(st.integers(0, 30), unique=True, max_size=12),
    st.randoms(use_true_random=False),
)
def test_every_article_is_accounted_for_once(old_keys, new_keys, rnd):
    rnd.shuffle(new_keys)
    old = arts(*[(str(k), f"条文{k}") for k in old_keys])
    new = arts(
        *[(str(k), f"条文{k}改" if k % 3 == 0 else f"条文{k}") for k in new_keys]
    )
    result = diff_versions(old, new)
    keys = [d.key for d in result]
    assert sorted(keys) == sorted({str(k) for k in old_keys + new_keys})
    added = {d.key for d in result if d.change == Change.ADDED}
    removed = {d.key for d in result if d.change == Change.REMOVED}
    assert added == {str(k) for k in set(new_keys) - set(old_keys)}
    assert removed == {str(k) for k in set(old_keys) - set(new_keys)}
    # The articles that did not move keep their relative order.
    stayed = [
        d.old_number for d in result if d.old_number and d.new_number and not d.moved
    ]
    assert stayed == sorted(stayed)
    for d in result:
        before = next((a.text for a in old if a.key == d.key), "")
        after = next((a.text for a in new if a.key == d.key), "")
        assert (d.old_text(), d.new_text()) == (before, after)


def test_identical_versions_have_no_change():
    v = arts(("a", "甲"), ("b", "乙"))
    assert all(d.change == Change.KEPT and not d.moved for d in diff_versions(v, v))
