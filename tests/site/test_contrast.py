"""WCAG AA: every text/background pair of the site's palette reaches 4.5:1."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "site/static/yishi/css/yishi.css"

# (text, background) pairs the stylesheet actually uses.
PAIRS = [
    ("--ink", "--paper"),
    ("--muted", "--paper"),
    ("--muted", "--band"),
    ("--link", "--paper"),
    ("--brand", "--paper"),  # secondary buttons, error text
    ("--paper", "--brand"),  # header and primary buttons: white on brand
    ("--error", "--band"),
    ("--ok", "--paper"),
]


def _palette() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"(--[a-z]+):\s*(#[0-9a-fA-F]{6})", root))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_contrast_meets_wcag_aa(text, background):
    palette = _palette()
    light, dark = sorted(
        (_luminance(palette[text]), _luminance(palette[background])), reverse=True
    )
    assert (light + 0.05) / (dark + 0.05) >= 4.5
