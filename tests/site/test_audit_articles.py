"""The articles the system places under the home page are audited, and only the
system and superusers place them so (editors use Wagtail's editor)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.neighbourhoods.factories import UserFactory
from yishi.audit import AuditEntry
from yishi.home import article_page_create
from yishi.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_an_article_is_created_live_with_one_audit_line(home_page):
    root = UserFactory(is_superuser=True)
    page = article_page_create(
        actor=root, slug="guide", title="办事指南", body="<p>…</p>"
    )
    assert page.live
    assert page.get_parent().id == home_page.id
    line = AuditEntry.objects.get()
    assert (line.action, line.actor, line.target_id) == (
        "article_page_create",
        root,
        str(page.pk),
    )


def test_others_may_not_create_articles_so(home_page):
    with pytest.raises(PermissionDenied):
        article_page_create(actor=UserFactory(is_staff=True), slug="x", title="x")
    assert not ArticlePage.objects.exists()
    assert not AuditEntry.objects.exists()
