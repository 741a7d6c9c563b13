"""WSGI entry point: how production serves HTTP (gunicorn; README, "Production").

Websockets (`/ws/`) are served by the ASGI application (`yishi.asgi`) in processes of
their own; nginx routes by path. Both share the database, the cache and the Redis
channel layer, so a vote answered here is announced to the sockets held there.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yishi.settings.dev")

application = get_wsgi_application()
