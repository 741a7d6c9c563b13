"""The clause diff of two 200-article versions of a pact (issue 12: < 200 ms).

Pure domain, no database: `residents_pact.domain.diff.diff_versions` on articles of
80–160 Chinese characters with two items each. Two cases: a usual amendment (20
articles reworded, 5 added, 5 removed, 5 moved) and the worst case (every article
reworded). Medians of 7 runs; run with `make bench` or
`pytest tests/bench/test_pact_diff_speed.py -o addopts="" -s`.
"""

from __future__ import annotations

import random
import statistics
import time

from residents_pact.domain.diff import Article, diff_versions

ARTICLES = 200
TARGET_MS = 200.0
HAN = (
    "居民应当遵守公约爱护公共绿地设施车辆停放"
    "不得占用消防通道垃圾分类投放邻里和睦互助文明养犬噪声"
)


def _text(rng: random.Random) -> str:
    body = "".join(rng.choice(HAN) for _ in range(rng.randint(80, 160))) + "。"
    items = "".join(
        f"\n（{n}）" + "".join(rng.choice(HAN) for _ in range(20)) for n in "一二"
    )
    return body + items


def _reword(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(6):
        at = rng.randrange(len(chars))
        chars[at : at + rng.randint(0, 3)] = rng.choice(HAN) * rng.randint(1, 3)
    return "".join(chars)


def _versions(rng: random.Random, reword: int):
    old = [Article(f"k{i}", i + 1, "", _text(rng)) for i in range(ARTICLES)]
    new = [Article(a.key, 0, "", a.text) for a in old]
    for i in rng.sample(range(ARTICLES), reword):
        new[i] = Article(new[i].key, 0, "", _reword(new[i].text, rng))
    if reword < ARTICLES:
        for i in sorted(rng.sample(range(ARTICLES), 5), reverse=True):
            del new[i]
        for n in range(5):
            new.insert(rng.randrange(len(new)), Article(f"new{n}", 0, "", _text(rng)))
        for _ in range(5):
            new.insert(rng.randrange(len(new)), new.pop(rng.randrange(len(new))))
    new = [Article(a.key, i + 1, "", a.text) for i, a in enumerate(new)]
    return old, new


def _median_ms(old, new, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        diff_versions(old, new)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def test_diff_of_two_200_article_versions_is_under_200_ms():
    rng = random.Random(12)
    usual = _median_ms(*_versions(rng, reword=20))
    worst = _median_ms(*_versions(rng, reword=ARTICLES))
    print(
        f"\npact diff, {ARTICLES} articles: usual amendment {usual:.1f} ms,"
        f" every article reworded {worst:.1f} ms (target < {TARGET_MS:.0f} ms)"
    )
    assert usual < TARGET_MS
    assert worst < TARGET_MS
