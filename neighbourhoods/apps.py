from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("社区名册")

    def ready(self):
        from . import register_cache

        register_cache.connect()
