"""ASGI entry point: HTTP through Django's stock handler, websockets through Channels.

`make run` (daphne's runserver) and the browser tests serve both from this one
application on one port. In production HTTP is served by the WSGI application
(`yishi.wsgi`, gunicorn) and only `/ws/` by this one (uvicorn): README, "Production".
"""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yishi.settings.dev")

from django.core.asgi import get_asgi_application

# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from yishi.routing import websocket_urlpatterns  # noqa: E402
from yishi.websocket_auth import SessionAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            SessionAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)

# What is loaded by now (Django, the models, the routes, the consumers) lives as long
# as the process: moved out of the cyclic collector's full passes, which otherwise
# walked all of it each time — 140–230 ms with the event loop stopped, the p99 of a
# meeting's first events after 2,000 joined (docs/benchmarks.md, "Live rooms").
gc.freeze()
