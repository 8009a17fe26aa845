"""The state machine, the file-number pattern and photo sanitising (no app, no database)."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import pytest
from PIL import Image

from responsibility.hazards.errors import BadPhoto
from responsibility.hazards.escalation import due_level, veto_candidate
from responsibility.hazards.numbering import format_file_no
from responsibility.hazards.photos import sanitise_photo
from responsibility.hazards.states import (
    AWAITING_ACCEPTANCE,
    CLOSED,
    LABELS,
    OPEN_STATES,
    RECTIFYING,
    REPORTED,
    STATES,
    STEPS,
    VOID,
    state_of,
)
from responsibility.models import Hazard
from responsibility.settings import HazardSettings


def test_every_label_maps_back_and_imported_labels_are_known() -> None:
    for state in STATES:
        assert state_of(LABELS[state]) == state
        assert state_of(state) == state
    assert state_of("整改中") == RECTIFYING and state_of("已销号") == CLOSED
    assert state_of("随便写的") is None


def test_closing_only_from_acceptance_and_rejection_returns_to_rectifying() -> None:
    leading_to_closed = [step for step, (_, target) in STEPS.items() if target == CLOSED]
    assert leading_to_closed == ["accept"]
    assert STEPS["accept"][0] == {AWAITING_ACCEPTANCE}
    assert STEPS["reject"] == (frozenset({AWAITING_ACCEPTANCE}), RECTIFYING)
    assert CLOSED not in STEPS["void"][0] and VOID not in OPEN_STATES
    assert all(
        REPORTED not in starts for step, (starts, _) in STEPS.items() if step not in {"file", "supervise", "void"}
    )


def test_file_number_pattern() -> None:
    assert format_file_no("SCH001", 2025, 7) == "SCH001-YH-2025-0007"


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 200, 10)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_reencoded_without_metadata() -> None:
    original = _jpeg_with_gps()
    assert b"PhoneMaker" in original
    photo = sanitise_photo(original, HazardSettings())
    assert b"PhoneMaker" not in photo.data
    assert not Image.open(io.BytesIO(photo.data)).getexif()
    assert photo.original_sha256 != photo.sha256 and (photo.width, photo.height) == (80, 60)


def test_large_photo_is_scaled_down() -> None:
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000)).save(out, format="PNG")
    photo = sanitise_photo(out.getvalue(), HazardSettings(photo_max_edge=1000))
    assert (photo.width, photo.height) == (1000, 333)


def _png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("data", "limits", "why"),
    [
        (b"%PDF-1.7 not an image", HazardSettings(), "not an image"),
        (b"", HazardSettings(), "empty"),
        (_png_header_claiming(50_000, 50_000), HazardSettings(), "bomb"),
        (_png_header_claiming(5_000, 5_000), HazardSettings(photo_max_pixels=1_000_000), "pixels"),
        (b"\xff\xd8" + b"\x00" * 100, HazardSettings(), "damaged jpeg"),
        (b"x" * 2048, HazardSettings(photo_max_bytes=1024), "too big"),
    ],
)
def test_bad_photos_are_refused(data: bytes, limits: HazardSettings, why: str) -> None:
    with pytest.raises(BadPhoto):
        sanitise_photo(data, limits, name=why)


def test_gif_is_not_accepted() -> None:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(BadPhoto, match="GIF"):
        sanitise_photo(out.getvalue(), HazardSettings())


def test_veto_candidate_and_escalation_delays() -> None:
    deadline = dt.date(2025, 1, 10)
    major = Hazard(level="重大", deadline=deadline, temporary_measures=None)
    assert veto_candidate(major, dt.date(2025, 1, 11)) and not veto_candidate(major, deadline)
    assert not veto_candidate(Hazard(level="重大", deadline=deadline, temporary_measures="封闭"), dt.date(2025, 2, 1))
    assert not veto_candidate(Hazard(level="一般", deadline=deadline), dt.date(2025, 2, 1))
    delays = (1, 2, 2, 2, 2)
    assert due_level({}, major, dt.date(2025, 1, 11), delays) is None  # first overdue day + 1
    assert due_level({}, major, dt.date(2025, 1, 12), delays) == 1
    assert due_level({1: dt.date(2025, 1, 12)}, major, dt.date(2025, 1, 13), delays) is None
    assert due_level({1: dt.date(2025, 1, 12)}, major, dt.date(2025, 1, 14), delays) == 2
    top = {n: dt.date(2025, 1, 12) for n in range(1, 6)}
    assert due_level(top, major, dt.date(2026, 1, 1), delays) is None
