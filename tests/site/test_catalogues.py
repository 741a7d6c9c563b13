"""The zh_Hans catalogue holds every Chinese message, shown as it is written.

The messages are written in Chinese, so a zh-hans page shows each msgid as it is. A
message missing from the zh_Hans catalogue (or with an empty msgstr, which msgfmt
leaves out) is still shown right, but each lookup then walks every fallback
catalogue of every installed app before giving up: ten times the cost, about 70
times on a ballot page. So every Chinese message of the English catalogue must be in
the zh_Hans one with msgstr = msgid."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CATALOGUES = Path(__file__).resolve().parents[2] / "site" / "locale"
CJK = re.compile(r"[\u3400-\u9fff]")
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def _entries(path: Path) -> dict[tuple, dict]:
    """(msgctxt, msgid) → fields, for the entries of a .po that are not obsolete."""
    found = {}
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.split("\n") if line.strip()]
        if any(line.startswith("#~") for line in lines):
            continue
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            match = FIELD.match(line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            found[(fields.get("msgctxt"), fields["msgid"])] = fields
    return found


def test_every_chinese_message_is_in_the_zh_hans_catalogue_as_written():
    english = _entries(CATALOGUES / "en" / "LC_MESSAGES" / "django.po")
    chinese = _entries(CATALOGUES / "zh_Hans" / "LC_MESSAGES" / "django.po")
    wanted = [
        key
        for key, fields in english.items()
        if CJK.search(key[1]) and "msgid_plural" not in fields
    ]
    missing = [key[1][:40] for key in wanted if key not in chinese]
    assert not missing, missing[:10]
    wrong = [k[1][:40] for k in wanted if chinese[k].get("msgstr") != k[1]]
    assert not wrong, wrong[:10]
