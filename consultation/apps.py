from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("协商议事")

    def ready(self):
        from .disclosures.chain_guard import register_sqlite_function

        connection_created.connect(
            register_sqlite_function, dispatch_uid="yishi-disclosure-guard"
        )
