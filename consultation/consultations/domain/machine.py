"""The consultation state machine (RULES.md §6.2).

中办发〔2015〕41号《关于加强城乡社区协商的意见》 [NAT-NORM, wording partly
UNVERIFIED] names four steps — propose the topic and decide the participants, inform
them in advance, hold the consultation and form an opinion, implement and report
back. Here:

    TOPIC_COLLECTED → TOPIC_CONFIRMED → NOTICE_GIVEN → SESSION_HELD
      → OPINION_FORMED → IMPLEMENTING → RESULT_PUBLISHED → CLOSED

A consultation may be withdrawn before its opinion is formed (WITHDRAWN). Residents
leave feedback on a published result (RESULT_PUBLISHED) only. Any other step is
refused with a message in Chinese and English; a refusal changes nothing. No Django
import here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    TOPIC_COLLECTED = "topic_collected"
    TOPIC_CONFIRMED = "topic_confirmed"
    NOTICE_GIVEN = "notice_given"
    SESSION_HELD = "session_held"
    OPINION_FORMED = "opinion_formed"
    IMPLEMENTING = "implementing"
    RESULT_PUBLISHED = "result_published"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    CONFIRM_TOPIC = "confirm_topic"
    GIVE_NOTICE = "give_notice"
    HOLD_SESSION = "hold_session"
    FORM_OPINION = "form_opinion"
    START_IMPLEMENTATION = "start_implementation"
    PUBLISH_RESULT = "publish_result"
    CLOSE = "close"
    WITHDRAW = "withdraw"


STATUS_LABELS_ZH = {
    Status.TOPIC_COLLECTED: "议题征集",
    Status.TOPIC_CONFIRMED: "议题已确定",
    Status.NOTICE_GIVEN: "已提前通知，待协商",
    Status.SESSION_HELD: "已召开协商会议",
    Status.OPINION_FORMED: "已形成协商意见",
    Status.IMPLEMENTING: "落实中",
    Status.RESULT_PUBLISHED: "结果已公开，欢迎反馈",
    Status.CLOSED: "已归档",
    Status.WITHDRAWN: "已撤回",
}

ACTION_LABELS_ZH = {
    Action.CONFIRM_TOPIC: "确定议题和参与主体",
    Action.GIVE_NOTICE: "发布协商通知",
    Action.HOLD_SESSION: "记录协商会议",
    Action.FORM_OPINION: "记录协商意见",
    Action.START_IMPLEMENTATION: "开始落实",
    Action.PUBLISH_RESULT: "公开落实结果",
    Action.CLOSE: "归档",
    Action.WITHDRAW: "撤回",
}

#: The one status each action moves from (WITHDRAW: see ``WITHDRAWABLE``).
_FORWARD = {
    Action.CONFIRM_TOPIC: (Status.TOPIC_COLLECTED, Status.TOPIC_CONFIRMED),
    Action.GIVE_NOTICE: (Status.TOPIC_CONFIRMED, Status.NOTICE_GIVEN),
    Action.HOLD_SESSION: (Status.NOTICE_GIVEN, Status.SESSION_HELD),
    Action.FORM_OPINION: (Status.SESSION_HELD, Status.OPINION_FORMED),
    Action.START_IMPLEMENTATION: (Status.OPINION_FORMED, Status.IMPLEMENTING),
    Action.PUBLISH_RESULT: (Status.IMPLEMENTING, Status.RESULT_PUBLISHED),
    Action.CLOSE: (Status.RESULT_PUBLISHED, Status.CLOSED),
}

WITHDRAWABLE = frozenset(
    {
        Status.TOPIC_COLLECTED,
        Status.TOPIC_CONFIRMED,
        Status.NOTICE_GIVEN,
        Status.SESSION_HELD,
    }
)
TERMINAL = frozenset({Status.CLOSED, Status.WITHDRAWN})


@dataclass(frozen=True)
class TransitionRefused(Exception):
    """A step the machine does not allow from the current status."""

    status: Status
    action: Action
    code: str = "out_of_order"

    @property
    def message_zh(self) -> str:
        if self.status in TERMINAL:
            status, action = (
                STATUS_LABELS_ZH[self.status],
                ACTION_LABELS_ZH[self.action],
            )
            return f"本协商已{status}，不能再{action}。"
        return (
            f"当前阶段为“{STATUS_LABELS_ZH[self.status]}”，"
            f"不能{ACTION_LABELS_ZH[self.action]}。"
        )

    @property
    def message_en(self) -> str:
        return (
            f"Cannot {self.action.value} while the consultation is {self.status.value}."
        )


def legal_actions(status: Status) -> frozenset[Action]:
    """Every action allowed from `status`."""
    found = {a for a, (src, _dst) in _FORWARD.items() if src is status}
    if status in WITHDRAWABLE:
        found.add(Action.WITHDRAW)
    return frozenset(found)


def apply(status: Status, action: Action) -> Status:
    """The status after `action`, or ``TransitionRefused``."""
    if action is Action.WITHDRAW:
        if status in WITHDRAWABLE:
            return Status.WITHDRAWN
        raise TransitionRefused(status, action)
    src, dst = _FORWARD[action]
    if status is not src:
        raise TransitionRefused(status, action)
    return dst


def accepts_feedback(status: Status) -> bool:
    """Residents give feedback on a published result (§6.1 step 4: report back)."""
    return status is Status.RESULT_PUBLISHED


def next_action(status: Status) -> Action | None:
    """The forward step awaited (None at the end)."""
    for action, (src, _dst) in _FORWARD.items():
        if src is status:
            return action
    return None
