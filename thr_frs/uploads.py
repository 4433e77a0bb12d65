"""Photo uploads that never touch the disk: an in-memory upload handler with a size cap.

Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file;
a 12-megapixel phone photo is 3–6 MB. The face endpoints replace the handlers with
this one before anything reads request.POST/FILES (csrf_exempt outside, csrf_protect
inside, as Django's docs describe for changing upload handlers in a view).
"""
from __future__ import annotations

from functools import wraps
from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.views.decorators.csrf import csrf_exempt, csrf_protect

DEFAULT_MAX_PHOTO_BYTES = 12 * 1024 * 1024  # a 48-megapixel JPEG fits; faces.MAX_PIXELS refuses larger


PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO"})  # MPO: a JPEG from some phone cameras


def is_photo(upload) -> bool:
    """Whether the upload's content (not its name or declared type) is a JPEG, PNG or WebP picture.

    Reads the header only; the worker decodes the whole image (and refuses bombs) later.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            return image.format in PHOTO_FORMATS
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)


def max_photo_bytes() -> int:
    return int(getattr(settings, "FRS_MAX_PHOTO_BYTES", DEFAULT_MAX_PHOTO_BYTES))


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory; skip a file larger than the cap (never spool it)."""

    def __init__(self, request=None, *, limit: int | None = None):
        super().__init__(request)
        self.limit = limit or max_photo_bytes()
        self.too_large = False
        self.buffer: BytesIO | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = None
            raise SkipFile()
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(file=self.buffer, field_name=self.field_name, name=self.file_name,
                                    content_type=self.content_type, size=file_size, charset=self.charset,
                                    content_type_extra=self.content_type_extra)


def use_memory_uploads(request) -> MemoryOnlyUploadHandler:
    """Install the in-memory handler on a request whose body has not been read yet. Only a multipart body carries
    files: another (urlencoded) has no photo to handle, and may have been read already (BadParameterMiddleware reads
    it for NUL bytes), when handlers can no longer be set; its form is then refused for the missing photo."""
    handler = MemoryOnlyUploadHandler(request)
    if request.content_type == "multipart/form-data":
        request.upload_handlers = [handler]
    request._frs_upload_handler = handler
    return handler


def photo_too_large(request) -> bool:
    handler = getattr(request, "_frs_upload_handler", None)
    return bool(handler and handler.too_large)


def memory_uploads(view_func):
    """Decorate a view (function or `as_view()`): uploads in memory, CSRF still checked."""
    protected = csrf_protect(view_func)

    @csrf_exempt
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            use_memory_uploads(request)
        return protected(request, *args, **kwargs)

    return wrapper
