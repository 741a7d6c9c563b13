"""The project's ASGI application with Django's stock ASGIHandler, for comparison.

yishi.asgi serves HTTP with yishi.handlers.SyncChainASGIHandler (one thread hand-off
per request). This entry point serves the same code with django.core.asgi's handler,
so that one `make bench` run measures both side by side. Nothing else uses it.
"""

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

from yishi.asgi import application as _yishi

application = ProtocolTypeRouter(
    {
        "http": get_asgi_application(),
        "websocket": _yishi.application_mapping["websocket"],
    }
)
