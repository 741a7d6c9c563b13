from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("协商议事")

    def ready(self):
        from .disclosures.chain_guard import register_sqlite_function
        from .disclosures.hooks import register_publish_hook
        from .records.services.disclosure import on_entry_published
        from .rooms.events import on_logged_out

        connection_created.connect(
            register_sqlite_function, dispatch_uid="yishi-disclosure-guard"
        )
        # A matter's disclosure steps are recorded when their entry is published.
        register_publish_hook(on_entry_published)
        # Signing out closes that login's live room sockets (and registers the
        # rooms' fan-out builders in every process).
        user_logged_out.connect(on_logged_out, dispatch_uid="yishi-room-logout")
