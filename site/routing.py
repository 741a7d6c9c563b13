"""All websocket routes, under /ws/. Apps add theirs here, before the last route."""

from django.urls import path, re_path

from consultation.ballots.consumers import BallotConsumer
from consultation.rooms.consumers import RoomConsumer
from yishi.consumers import NoRouteConsumer, PresenceConsumer

websocket_urlpatterns = [
    path("ws/presence/", PresenceConsumer.as_asgi()),
    path("ws/ballots/<id:ballot_id>/", BallotConsumer.as_asgi()),
    path("ws/rooms/<id:room_id>/", RoomConsumer.as_asgi()),
    # Last: every other path is refused (closed before the handshake completes).
    re_path(r"", NoRouteConsumer.as_asgi()),
]
