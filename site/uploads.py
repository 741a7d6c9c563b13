"""Every file the platform takes from a user: checked, stored privately, served safely.

One rule for all uploads (proxy authorisations, official result documents, later
attachments):

* accepted only as PDF, JPEG or PNG, recognised by their content — the first bytes,
  and for images Pillow's own check — never by the file name or the content type the
  browser sent (an HTML page named `scan.jpg` is refused);
* at most `YISHI_UPLOAD_MAX_BYTES` (10 MiB): larger is 413, another type 422, each
  with a message in Chinese then English, and nothing is written;
* stored under a random name in a storage rooted at `YISHI_PRIVATE_ROOT`
  (var/private/), outside the public media root, so no web server serves it;
* served only by a view that has checked permission on the record, through
  `file_response`: as an attachment, `X-Content-Type-Options: nosniff`, the type
  found in the content, a sandboxing Content-Security-Policy.

A capability adds an upload in two lines: a model field
`private_file_field(_("…"), folder="…")`, and in its service
`file = upload_check(file)` before the record is written.
"""

from __future__ import annotations

import os
import uuid
from functools import cache
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from PIL import Image, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

WRONG_TYPE = (
    "只接受 PDF、JPEG 或 PNG 文件（按文件内容识别，不看文件名）。"
    " Only PDF, JPEG or PNG files are accepted (recognised by their content, not"
    " their name)."
)
EMPTY = "文件是空的。 The file is empty."


class UploadRefused(Exception):
    """An upload that is not taken; `status` is what a view answers (413 or 422)."""

    def __init__(self, message: str, *, status: int, code: str):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def too_large_message(limit: int) -> str:
    megabytes = limit // (1024 * 1024)
    return (
        f"文件过大：最大 {megabytes} MB。"
        f" The file is too large: at most {megabytes} MB."
    )


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, if it is one we take."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def _verify_image(file, content_type: str) -> None:
    try:
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise UploadRefused(WRONG_TYPE, status=422, code="wrong_type") from error
    except Image.DecompressionBombError as error:
        raise UploadRefused(WRONG_TYPE, status=422, code="wrong_type") from error
    if found != PILLOW_FORMATS[content_type]:
        raise UploadRefused(WRONG_TYPE, status=422, code="wrong_type")


def upload_check(file):
    """The uploaded file, checked and renamed by its type; `None` passes through.

    Raises `UploadRefused` (413 too large, 422 empty or of another type).
    """
    if file is None:
        return None
    limit = settings.YISHI_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise UploadRefused(too_large_message(limit), status=413, code="too_large")
    if not file.size:
        raise UploadRefused(EMPTY, status=422, code="empty")
    file.seek(0)
    content_type = sniff(file.read(16))
    file.seek(0)
    if content_type is None:
        raise UploadRefused(WRONG_TYPE, status=422, code="wrong_type")
    if content_type in PILLOW_FORMATS:
        _verify_image(file, content_type)
        file.seek(0)
    # The name the browser sent is never kept: the storage name is random, and its
    # extension is the one the content showed.
    file.name = "upload" + EXTENSIONS[content_type]
    return file


@deconstructible
class RandomName:
    """`upload_to` for private files: `<folder>/<year>/<random hex><.pdf|.jpg|.png>`."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()
        if suffix not in EXTENSIONS.values():
            suffix = ""
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


class PrivateStorage(FileSystemStorage):
    """Files under YISHI_PRIVATE_ROOT: readable by this process only, no public URL."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    # Read on every use (not cached at start-up), so the setting decides even when
    # it changes after the first upload (tests use a temporary directory).
    @property
    def base_location(self):
        return settings.YISHI_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError(
            "Private files have no public URL: a view serves them (yishi.uploads)."
        )


@cache
def private_storage() -> PrivateStorage:
    """The storage of every private upload (a callable: migrations name it, not
    the path it is rooted at)."""
    return PrivateStorage()


def private_file_field(verbose_name, *, folder: str, blank: bool = False):
    """The model field of a private upload; its service calls `upload_check`."""
    return models.FileField(
        verbose_name,
        upload_to=RandomName(folder),
        storage=private_storage,
        blank=blank,
        max_length=200,
    )


def file_response(field_file, *, download_name: str) -> HttpResponse:
    """Serve a checked private file to someone already allowed to read it."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = sniff(handle.read(16)) or "application/octet-stream"
    handle.seek(0)
    filename = download_name + EXTENSIONS.get(content_type, "")
    accel = settings.YISHI_PRIVATE_ACCEL_PREFIX
    if accel:
        # nginx sends the file itself (README, "Production"); the headers are ours.
        handle.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + field_file.name
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
