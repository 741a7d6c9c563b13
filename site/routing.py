"""All websocket routes, under /ws/. Apps add theirs here."""

from django.urls import path

from yishi.consumers import PresenceConsumer

websocket_urlpatterns = [
    path("ws/presence/", PresenceConsumer.as_asgi()),
]
