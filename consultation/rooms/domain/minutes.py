"""The first draft of a meeting's minutes (会议纪要), written from its record.

Not law: the usual shape of a community meeting's minutes — the meeting, attendance
(expected, present in the hall or online, absent; the quorum of the body's rule),
chair and secretary, then each agenda item with its statements and its vote — which
the secretary edits before it is confirmed. No Django import here.
"""

from __future__ import annotations

from dataclasses import dataclass

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class ItemFacts:
    title: str
    statements: tuple[tuple[str, str], ...]  # (name, text)
    vote: str = ""  # the ballot's result in words, or ""


@dataclass(frozen=True)
class RollAttendance:
    """A residents' meeting's or owners' assembly's attendance, in counts."""

    counting: str  # "heads", "households" or "owners" (domain.assembly.Counting)
    expected: int
    present: int
    in_hall: int  # seats marked in the hall
    online: int  # seats present online only
    expected_area: str = ""  # m², owners only
    present_area: str = ""
    speakers: tuple[str, ...] = ()


UNITS = {"households": "户", "owners": "人", "heads": "人"}


@dataclass(frozen=True)
class MinutesFacts:
    title: str
    body: str
    held_at: str  # already formatted, Asia/Shanghai
    place: str
    expected: int
    present_names: tuple[str, ...]
    absent_names: tuple[str, ...]
    others: tuple[str, ...]  # invited residents and observers present
    quorum_met: bool
    rule_title: str
    chair: str
    secretary: str
    items: tuple[ItemFacts, ...]
    roll: RollAttendance | None = None


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if 1 <= n <= len(NUMERALS) else str(n)


def _roll_lines(roll: RollAttendance, quorum_met: bool, rule_title: str) -> list:
    unit = UNITS.get(roll.counting, "人")
    who = "业主" if roll.counting == "owners" else ""
    lines = [
        f"应到{who} {roll.expected} {unit}，实到 {roll.present} {unit}"
        f"（现场签到 {roll.in_hall} 席，网上出席 {roll.online} 席）",
    ]
    if roll.counting == "owners":
        lines.append(
            f"专有部分总面积 {roll.expected_area} 平方米，"
            f"出席业主专有部分面积 {roll.present_area} 平方米"
        )
    lines[-1] += (
        "；" + ("已达到" if quorum_met else "未达到") + f"到会要求（{rule_title}）。"
    )
    lines.append("发言人：" + ("、".join(roll.speakers) or "无"))
    return lines


def _attendance(facts: MinutesFacts) -> list:
    if facts.roll is not None:
        return _roll_lines(facts.roll, facts.quorum_met, facts.rule_title)
    return [
        f"应到 {facts.expected} 人，实到 {len(facts.present_names)} 人；"
        + ("已达到" if facts.quorum_met else "未达到")
        + f"到会人数要求（{facts.rule_title}）。",
        "出席：" + ("、".join(facts.present_names) or "无"),
        "缺席：" + ("、".join(facts.absent_names) or "无"),
    ]


def draft(facts: MinutesFacts) -> str:
    lines = [
        f"{facts.title}会议纪要",
        "",
        f"会议时间：{facts.held_at}",
        f"会议地点：{facts.place}",
        f"召集组织：{facts.body or '—'}",
        f"主持人：{facts.chair or '—'}　记录人：{facts.secretary or '—'}",
        *_attendance(facts),
    ]
    if facts.others:
        lines.append("列席、旁听：" + "、".join(facts.others))
    lines += ["", "会议议程及审议情况："]
    for n, item in enumerate(facts.items, start=1):
        lines.append(f"{_numeral(n)}、{item.title}")
        for name, text in item.statements:
            lines.append(f"　　{name}：{text}")
        if not item.statements:
            lines.append("　　（无书面发言）")
        if item.vote:
            lines.append(f"　　表决：{item.vote}")
    return "\n".join(lines)
