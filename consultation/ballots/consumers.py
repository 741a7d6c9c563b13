"""Live ballot updates: `/ws/ballots/<id>/`.

On connect: authenticate, check `can_view_ballot` on the ballot, join the ballot's
group through this process's hub (yishi.livehub, as the rooms do: one channel-layer
subscription per ballot and process, not one per watcher), and send a `snapshot`.
Every `ballot.tally` message from the group (built once by `events.ballot_payloads`,
at most four a second: the fan-out coalesces) is forwarded as `{"type": "tally", ...}`,
encoded once per process for all its watchers. While a tally is hidden until close
(`permissions.can_see_tally` is false for everyone), only the participation is
forwarded: the payload itself says whether it is hidden, so one text serves all. When
the hub re-joins after a Redis failure it asks for a resync: a fresh snapshot.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from yishi import fanout, livehub

from . import permissions, selectors
from .events import ballot_group, ballot_payloads


def _tally_view(message: dict) -> dict | None:
    if message.get("type") != "ballot.tally":
        return None
    return {"type": "tally", **BallotConsumer._view(message)}


class BallotConsumer(AsyncJsonWebsocketConsumer):
    channel_layer_alias = None  # no per-connection channel: the hub delivers

    async def connect(self):
        user = self.scope.get("user")
        ballot_id = self.scope["url_route"]["kwargs"]["ballot_id"]
        if not await self._may_view(user, ballot_id):
            await self.close(code=4403)
            return
        self.ballot_id = ballot_id
        self.group = ballot_group(ballot_id)
        await self.accept()
        await livehub.join(self.group, self, self._deliver)
        fanout.ensure_delivering()
        await self._send_snapshot()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await livehub.leave(self.group, self)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "resync":
            await self._send_snapshot()
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    async def _deliver(self, message: dict) -> None:
        if message.get("type") == livehub.RESYNC["type"]:
            await self._send_snapshot()
            return
        text = livehub.encoded(message, "ballot_tally", _tally_view)
        if text is not None:
            await self.send(text_data=text)

    async def _send_snapshot(self) -> None:
        snapshot = await database_sync_to_async(ballot_payloads)(self.ballot_id)
        await self.send(
            text_data=json.dumps({"type": "snapshot", **self._view(snapshot)})
        )

    @staticmethod
    def _view(event: dict) -> dict:
        if event.get("hidden"):
            return {"tally": None, **event["public"]}
        return {"ballot": event["ballot"], "tally": event["full"]}

    @database_sync_to_async
    def _may_view(self, user, ballot_id) -> bool:
        if user is None or not user.is_authenticated:
            return False
        ballot = selectors.ballot_or_none(ballot_id)
        if ballot is None:
            return False
        return permissions.can_view_ballot(user, ballot)
