"""Replace Wagtail's welcome page with the platform's home page."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("yishi.HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    locale = Locale.objects.order_by("pk").first()
    content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="yishi"
    )
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None or locale is None:
        return
    siblings = Page.objects.filter(depth=2, path__startswith=root.path)
    last = siblings.order_by("-path").first()
    step = int(last.path[-4:], 36) + 1 if last else 1
    path = root.path + _to_base36(step).rjust(4, "0")
    home = HomePage.objects.create(
        title="议事 · 大家的事 大家商定",
        draft_title="议事 · 大家的事 大家商定",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale.pk,
        intro="<p>社区协商、居务公开、居民公约，大家的事大家商定。</p>",
    )
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.pk},
    )


def _to_base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


class Migration(migrations.Migration):
    dependencies = [
        ("yishi", "0001_initial"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
