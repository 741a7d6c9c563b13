"""All websocket routes, under /ws/. Apps add theirs here."""

from django.urls import path

from consultation.ballots.consumers import BallotConsumer
from yishi.consumers import PresenceConsumer

websocket_urlpatterns = [
    path("ws/presence/", PresenceConsumer.as_asgi()),
    path("ws/ballots/<int:ballot_id>/", BallotConsumer.as_asgi()),
]
