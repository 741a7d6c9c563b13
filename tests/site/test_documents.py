"""Wagtail documents: PDF only, served through Wagtail's view, which keeps a document
in a private collection from the public."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.4\n(secret minutes of the committee)\n%%EOF"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _document(collection, name="minutes.pdf", content=SECRET):
    document = get_document_model()(
        title="会议纪要", file=ContentFile(content, name=name), collection=collection
    )
    document.save()
    return document


def _private_collection():
    collection = Collection.get_first_root_node().add_child(name="内部文件")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_documents_go_through_wagtails_view(settings):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_EXTENSIONS == ["pdf"]


def test_a_document_in_a_private_collection_is_not_served_to_the_public(client):
    document = _document(_private_collection())
    assert document.url.startswith("/documents/")  # the view, not /media/
    response = client.get(document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert SECRET not in response.content


def test_a_public_document_is_served_by_the_view(client):
    document = _document(Collection.get_first_root_node())
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET


@pytest.mark.parametrize("name", ["auth.html", "auth.svg", "scan.jpg", "roll.xlsx"])
def test_other_extensions_are_refused(name):
    document = get_document_model()(
        title="x",
        file=ContentFile(b"<script>alert(1)</script>", name=name),
        collection=Collection.get_first_root_node(),
    )
    with pytest.raises(ValidationError):
        document.full_clean()
