"""Hazard photos: checked, re-encoded with Pillow (which drops EXIF/GPS and every other piece of
metadata), and stored by the hash of the re-encoded bytes under ``<instance>/hazard_photos/``.

Limits, all refused with :class:`BadPhoto` before anything is stored: the upload's size
(``photo_max_bytes``), the type (JPEG, PNG or WebP as Pillow identifies it from the bytes, never
from the name), and the pixel count (``photo_max_pixels``; Pillow's own decompression-bomb guard
stays on as a second guard), read from the header before anything is decoded, so a small file
that claims a huge image is refused without being expanded). The stored copy is a baseline JPEG
at most ``photo_max_edge`` pixels on its long side. The original's SHA-256 is kept beside the stored copy's, as evidence of what was
uploaded; the original bytes are not kept (they may carry the phone's location).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..atomic_files import write_atomic
from ..settings import HazardSettings, StorageSettings
from .errors import BadPhoto, HazardNotFound

__all__ = ["ACCEPTED_TYPES", "MAX_PHOTOS", "PhotoStore", "SanitisedPhoto", "photo_store", "sanitise_photo"]

ACCEPTED_TYPES = frozenset({"JPEG", "PNG", "WEBP"})
MAX_PHOTOS = 9
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SanitisedPhoto:
    data: bytes
    """The re-encoded JPEG, without metadata."""
    sha256: str
    original_sha256: str
    original_type: str
    width: int
    height: int


def _refuse(zh: str, en: str, name: str) -> BadPhoto:
    return BadPhoto(f"照片 {name}：{zh} (Photo {name}: {en}.)")


def sanitise_photo(data: bytes, limits: HazardSettings, *, name: str = "") -> SanitisedPhoto:
    """Check ``data`` against the limits and re-encode it; :class:`BadPhoto` when refused."""
    if not data:
        raise _refuse("文件为空。", "the file is empty", name)
    if len(data) > limits.photo_max_bytes:
        raise _refuse(
            f"超过 {limits.photo_max_bytes // (1024 * 1024)} MB 的上限。",
            f"larger than the limit of {limits.photo_max_bytes} bytes",
            name,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format or ""
            if kind not in ACCEPTED_TYPES:
                raise _refuse("只接受 JPEG、PNG 或 WebP 图片。", f"type {kind or 'unknown'} is not accepted", name)
            width, height = image.size
            if width * height > limits.photo_max_pixels:  # from the header, before anything is decoded
                raise _refuse("像素过多（疑似解压炸弹）。", f"{width}x{height} pixels exceed the limit", name)
            image.load()
            upright = ImageOps.exif_transpose(image) or image
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            "不是可接受的图片，或像素过多（疑似解压炸弹）。", "not an image, or a decompression bomb", name
        ) from None
    except (OSError, ValueError, SyntaxError):
        raise _refuse("图片已损坏，无法读取。", "the image is damaged", name) from None
    image_rgb = upright.convert("RGB")
    image_rgb.thumbnail((limits.photo_max_edge, limits.photo_max_edge))
    out = io.BytesIO()
    image_rgb.save(out, format="JPEG", quality=85, optimize=True)
    encoded = out.getvalue()
    return SanitisedPhoto(
        data=encoded,
        sha256=hashlib.sha256(encoded).hexdigest(),
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_type=kind,
        width=image_rgb.width,
        height=image_rgb.height,
    )


class PhotoStore:
    """Re-encoded photos keyed by their hex SHA-256 below ``root`` (written before the row)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA_RE.match(sha256):
            raise ValueError(f"not a hex SHA-256: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}.jpg"

    def put(self, photo: SanitisedPhoto) -> None:
        target = self.path(photo.sha256)
        if not target.is_file():
            write_atomic(target, photo.data)

    def read(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise HazardNotFound(f"照片 {sha256[:12]}… 不在存储中。 (Photo {sha256[:12]}… is missing.)") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise HazardNotFound(f"照片 {sha256[:12]}… 已损坏。 (Photo {sha256[:12]}… is damaged.)")
        return data


def photo_store(storage: StorageSettings) -> PhotoStore:
    return PhotoStore(storage.instance_dir / "hazard_photos")
