"""Live ballot updates: `/ws/ballots/<id>/`.

On connect: authenticate, check `can_view_ballot` on the ballot, join the ballot's
group, and send a `snapshot`. Every `ballot.tally` message from the group (built once by
`events.ballot_payloads`) is forwarded as `{"type": "tally", ...}`. While a tally is
hidden until close (`permissions.can_see_tally` is false for everyone), only the
participation is forwarded: the payload itself says whether it is hidden.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from yishi import fanout

from . import permissions, selectors
from .events import ballot_group, ballot_payloads


class BallotConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        ballot_id = self.scope["url_route"]["kwargs"]["ballot_id"]
        if not await self._may_view(user, ballot_id):
            await self.close(code=4403)
            return
        self.ballot_id = ballot_id
        self.group = ballot_group(ballot_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        fanout.ensure_delivering()
        await self.accept()
        snapshot = await database_sync_to_async(ballot_payloads)(ballot_id)
        await self.send_json({"type": "snapshot", **self._view(snapshot)})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "resync":
            snapshot = await database_sync_to_async(ballot_payloads)(self.ballot_id)
            await self.send_json({"type": "snapshot", **self._view(snapshot)})
        else:
            await self.send_json({"type": "error", "code": "unknown_type"})

    async def ballot_tally(self, event):
        await self.send_json({"type": "tally", **self._view(event)})

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
