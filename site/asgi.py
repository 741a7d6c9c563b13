"""ASGI entry point: HTTP through Django, websockets through Channels under /ws/."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yishi.settings.dev")

from yishi.handlers import get_sync_chain_application

# Django must be set up before anything imports models (consumers do). The handler
# runs each request's middleware and view in one thread hand-off (yishi/handlers.py).
django_asgi_app = get_sync_chain_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from yishi.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
