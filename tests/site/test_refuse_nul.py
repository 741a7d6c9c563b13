"""A NUL character in a query string or a form field is refused (400) before any
view sees it (yishi.middleware.RefuseNulMiddleware): PostgreSQL keeps no NUL in
text, and views that searched or saved one answered 500 (liaison's archive search,
every liaison, duties, disclosure and pact text field, a review found)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

NUL = "a\x00b"


def _refused(response) -> None:
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_query_is_refused_anonymously():
    client = Client(raise_request_exception=False)
    _refused(client.get("/liaison/archive/", {"q": NUL}))
    assert client.get("/liaison/archive/", {"q": "停车"}).status_code == 200


def test_a_nul_in_a_form_field_or_its_name_is_refused():
    client = Client(raise_request_exception=False)
    _refused(client.post("/accounts/login/", {"username": NUL, "password": "x"}))
    _refused(client.post("/accounts/login/", {NUL: "1", "password": "x"}))
    # A file's content is not a form field: only the fields are looked at.
    upload = SimpleUploadedFile("a.txt", b"a\x00b", content_type="text/plain")
    response = client.post("/accounts/login/", {"username": "x", "file": upload})
    assert response.status_code != 400
