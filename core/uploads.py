"""Upload validation by content, and random storage names.

A field states which kinds it accepts and how large a file may be; the validator reads the
file's first bytes (not its name) to find what it really is, requires the name's extension
to agree, opens images with Pillow restricted to the allowed formats and a pixel limit, and
refuses everything else with a message the person can act on.
"""
import os
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class FileKind:
    label: str
    mime: str
    extensions: tuple[str, ...]
    pillow_format: str | None = None


FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", (".pdf",)),
    "jpeg": FileKind("JPG", "image/jpeg", (".jpg", ".jpeg"), "JPEG"),
    "png": FileKind("PNG", "image/png", (".png",), "PNG"),
    "docx": FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": FileKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
}
# filetype's name for what it detected -> our kind key
_DETECTED = {"pdf": "pdf", "jpg": "jpeg", "png": "png", "docx": "docx", "xlsx": "xlsx"}

SNIFF_BYTES = 8192


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


@deconstructible
class UploadValidator:
    """Validate an uploaded file: allowed kinds by content, extension agreement, size.

    ``kinds`` are keys of FILE_KINDS; ``max_bytes`` narrows the project-wide UPLOAD_MAX_BYTES.
    """

    def __init__(self, kinds=("pdf", "jpeg", "png"), max_bytes: int | None = None):
        unknown = set(kinds) - FILE_KINDS.keys()
        if unknown:
            raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )

    @property
    def limit(self) -> int:
        return min(self.max_bytes or settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES)

    @property
    def allowed_labels(self) -> str:
        return "、".join(FILE_KINDS[k].label for k in self.kinds)

    @property
    def accept(self) -> str:
        """Value for the file input's ``accept`` attribute (a hint, never the check)."""
        return ",".join(ext for k in self.kinds for ext in FILE_KINDS[k].extensions)

    def __call__(self, upload) -> None:
        name = os.path.basename(getattr(upload, "name", "") or "")
        if upload.size > self.limit:
            raise ValidationError(
                "文件“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限。",
                code="file_too_large",
                params={"name": name, "size": _human_size(upload.size), "limit": _human_size(self.limit)},
            )
        if upload.size == 0:
            raise ValidationError("文件“%(name)s”是空文件。", code="file_empty", params={"name": name})

        extension = os.path.splitext(name)[1].lower()
        claimed = next((k for k in self.kinds if extension in FILE_KINDS[k].extensions), None)
        if claimed is None:
            raise ValidationError(
                "不支持文件“%(name)s”的类型，请上传 %(allowed)s 文件。",
                code="file_extension",
                params={"name": name, "allowed": self.allowed_labels},
            )

        detected = _DETECTED.get(getattr(filetype.guess(_head(upload)), "extension", None))
        if detected != claimed:
            raise ValidationError(
                "文件“%(name)s”的内容不是有效的 %(kind)s 文件，请上传真实的 %(allowed)s 文件。",
                code="file_content",
                params={"name": name, "kind": FILE_KINDS[claimed].label, "allowed": self.allowed_labels},
            )
        if FILE_KINDS[claimed].pillow_format:
            self._check_image(upload, name, FILE_KINDS[claimed].pillow_format)
        upload.seek(0)

    def _check_image(self, upload, name: str, pillow_format: str) -> None:
        upload.seek(0)
        try:
            with Image.open(upload, formats=[pillow_format]) as image:
                width, height = image.size
                if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        "图片“%(name)s”尺寸过大（%(w)s×%(h)s 像素），请压缩后再上传。",
                        code="image_too_large",
                        params={"name": name, "w": width, "h": height},
                    )
                image.verify()
        except ValidationError:
            raise
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                "图片“%(name)s”已损坏或无法识别，请重新上传。", code="image_invalid", params={"name": name}
            ) from None


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


@deconstructible
class RandomUploadPath:
    """``upload_to`` that stores a file under a random name, never the uploader's.

    Result: ``<prefix>/<yyyy>/<mm>/<32 hex><.ext>``, with the extension reduced to a short
    lower-case token so nothing from the original name reaches the path.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __eq__(self, other):
        return isinstance(other, RandomUploadPath) and self.prefix == other.prefix

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
        if not (extension[1:].isalnum() and len(extension) <= 6):
            extension = ""
        return f"{self.prefix}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"


def original_name(upload) -> str:
    """A safe display name for a file as the uploader named it (for downloads and lists)."""
    base = os.path.basename(getattr(upload, "name", "") or "")
    return get_valid_filename(base)[:200] if base else ""
