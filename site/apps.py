from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YishiConfig(AppConfig):
    name = "yishi"
    label = "yishi"
    verbose_name = _("议事平台")
