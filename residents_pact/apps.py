from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsPactConfig(AppConfig):
    name = "residents_pact"
    verbose_name = _("居民公约")
