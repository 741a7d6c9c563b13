"""yishi.uploads: hostile files refused by content, private storage, safe serving;
the request-body cap; Wagtail documents served through Wagtail's view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from yishi import uploads
from yishi.middleware import RequestBodyLimitMiddleware

MB = 1000 * 1000
SCRIPT_HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script>"
SCRIPT_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.domain)</script></svg>"
)


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes(size: int = 0) -> bytes:
    head = b"%PDF-1.4\n1 0 obj << >> endobj\n"
    return head + b"0" * max(0, size - len(head) - 6) + b"\n%%EOF"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.YISHI_PRIVATE_ROOT = tmp_path / "private"
    return settings.YISHI_PRIVATE_ROOT


# ---- what is accepted -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "browser_type"),
    [
        ("scan.jpg", SCRIPT_HTML, "image/jpeg"),  # HTML named as an image
        ("auth.html", SCRIPT_HTML, "text/html"),
        ("auth.svg", SCRIPT_SVG, "image/svg+xml"),
        ("auth.pdf", SCRIPT_SVG, "application/pdf"),
        # The right first bytes, but not an image Pillow can read.
        ("scan.jpg", b"\xff\xd8\xff\xe0" + SCRIPT_HTML, "image/jpeg"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + SCRIPT_HTML, "image/png"),
        ("empty.pdf", b"", "application/pdf"),
    ],
    ids=[
        "html-named-jpg",
        "html",
        "svg",
        "svg-named-pdf",
        "jpeg-magic-html",
        "png-magic-html",
        "empty",
    ],
)
def test_a_file_of_another_type_is_refused_by_its_content(name, content, browser_type):
    upload = SimpleUploadedFile(name, content, content_type=browser_type)
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.upload_check(upload)
    assert refused.value.status == 422
    assert "PDF" in refused.value.message or "空" in refused.value.message
    assert refused.value.message[0] > "\u4e00"  # Chinese first


def test_a_file_over_ten_megabytes_is_refused_with_413():
    upload = SimpleUploadedFile("big.pdf", pdf_bytes(11 * MB), "application/pdf")
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.upload_check(upload)
    assert refused.value.status == 413
    assert "10 MB" in refused.value.message


@pytest.mark.parametrize(
    ("name", "content", "kept_as"),
    [
        ("委托书.pdf", pdf_bytes(), "upload.pdf"),
        ("photo.png", image_bytes("JPEG"), "upload.jpg"),  # the name lied: JPEG
        ("x.html", image_bytes("PNG"), "upload.png"),
    ],
    ids=["pdf", "jpeg-named-png", "png-named-html"],
)
def test_pdf_jpeg_and_png_are_taken_under_the_type_their_content_shows(
    name, content, kept_as
):
    upload = SimpleUploadedFile(name, content, content_type="text/html")
    checked = uploads.upload_check(upload)
    assert checked.name == kept_as
    assert checked.read() == content  # rewound for the storage


def test_no_file_passes_through_for_the_service_to_require():
    assert uploads.upload_check(None) is None


# ---- where it is kept -------------------------------------------------------------


def test_stored_under_a_random_name_outside_the_media_root(private_root):
    name = uploads.RandomName("proxies")(None, "../../张三 委托书.pdf")
    assert name.startswith("proxies/")
    assert name.endswith(".pdf")
    assert "张三" not in name
    assert ".." not in name
    assert name != uploads.RandomName("proxies")(None, "../../张三 委托书.pdf")
    assert uploads.RandomName("x")(None, "a.html").rsplit("/", 1)[1].isalnum()

    storage = uploads.private_storage()
    saved = storage.save(name, ContentFile(pdf_bytes()))
    path = Path(storage.path(saved)).resolve()
    assert path.is_relative_to(Path(private_root).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.stat().st_mode & 0o077 == 0  # readable by this process only
    with pytest.raises(NotImplementedError):
        storage.url(saved)  # no public URL at all


# ---- how it is served -------------------------------------------------------------


class _Field:
    """What file_response needs of a model's FieldFile."""

    def __init__(self, name):
        self.name, self.storage = name, uploads.private_storage()

    def __bool__(self):
        return bool(self.name)


def test_served_as_an_attachment_typed_by_its_content():
    storage = uploads.private_storage()
    # Stored before the check existed, under a misleading name: still served safely.
    name = storage.save("proxies/2025/old.html", ContentFile(image_bytes("PNG")))
    response = uploads.file_response(_Field(name), download_name="委托书-1-2")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == image_bytes("PNG")

    hostile = storage.save("proxies/2025/x.jpg", ContentFile(SCRIPT_HTML))
    response = uploads.file_response(_Field(hostile), download_name="x")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_x_accel_redirect_when_configured(settings):
    settings.YISHI_PRIVATE_ACCEL_PREFIX = "/private-files/"
    name = uploads.private_storage().save(
        "proxies/2025/a.pdf", ContentFile(pdf_bytes())
    )
    response = uploads.file_response(_Field(name), download_name="a")
    assert response["X-Accel-Redirect"] == f"/private-files/{name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


# ---- the body cap -----------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_before_it_is_read():
    def view(request):  # pragma: no cover - must not be reached
        raise AssertionError("the view was reached")

    body = b"x" * (30 * MB)
    request = RequestFactory().post(
        "/ballots/1/proxies/", data=body, content_type="application/octet-stream"
    )
    response = RequestBodyLimitMiddleware(view)(request)
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()


def test_a_body_within_the_cap_passes():
    request = RequestFactory().post("/x/", data={"a": "b"})
    assert RequestBodyLimitMiddleware(lambda r: "reached")(request) == "reached"
