"""The room's services (the only code that writes), and `room_action`, the one
entry point that the socket and the page's forms call by action name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .actions import (
    ballot_close,
    ballot_open,
    floor_give,
    hand_raise,
    hand_withdraw,
    item_open,
    participant_mute,
    reaction_set,
    room_close,
    statement_post,
    statement_post_on_loop,
    timer_set,
)
from .core import RecordsError, invalid
from .minutes import (
    minutes_confirm,
    minutes_draft,
    minutes_edit,
    participant_joined,
    participants_joined,
)
from .presence import presence_mark
from .setup import agenda_item_add, room_create

#: action name -> (service, the parameters it takes from the message)
ACTIONS = {
    "hand_raise": (hand_raise, ()),
    "hand_withdraw": (hand_withdraw, ()),
    "statement": (statement_post, ("text",)),
    "react": (reaction_set, ("statement_id", "kind")),
    "item_open": (item_open, ("item_id",)),
    "floor_next": (floor_give, ()),
    "timer_set": (timer_set, ("seconds",)),
    "mute": (participant_mute, ("participant_id", "muted")),
    "ballot_open": (ballot_open, ("item_id",)),
    "ballot_close": (ballot_close, ("item_id",)),
    "presence_mark": (presence_mark, ("participant_id", "in_hall")),
    "close": (room_close, ()),
}


def room_action(*, room_id: int, actor, name: str, params: dict) -> dict:
    """Run the action `name` with the parameters it takes from `params`."""
    found = ACTIONS.get(name)
    if found is None:
        raise invalid(_("未知的操作。 Unknown action."), "unknown_action")
    service, wanted = found
    missing = [key for key in wanted if key not in params]
    if missing:
        raise invalid(_("操作缺少参数。 Missing: ") + ", ".join(missing))
    return service(room_id=room_id, actor=actor, **{k: params[k] for k in wanted})


__all__ = [
    "ACTIONS",
    "RecordsError",
    "agenda_item_add",
    "floor_give",
    "hand_raise",
    "item_open",
    "minutes_confirm",
    "minutes_draft",
    "minutes_edit",
    "participant_joined",
    "participants_joined",
    "presence_mark",
    "reaction_set",
    "room_action",
    "room_create",
    "statement_post",
    "statement_post_on_loop",
]
