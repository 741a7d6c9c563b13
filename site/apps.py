from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YishiConfig(AppConfig):
    name = "yishi"
    label = "yishi"
    verbose_name = _("议事平台")

    def ready(self):
        # Before any URLconf is loaded: `<id:…>` routes need their converter.
        from yishi import converters
        from yishi.deadlines import selectors as deadlines

        converters.register()
        deadlines.connect()
