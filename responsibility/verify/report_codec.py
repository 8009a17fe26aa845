"""A :class:`VerificationReport` as plain JSON data and back, losslessly (``as_json`` is the
public, shorter view): what the verification cache stores.

Only plain values are read back into the frozen dataclasses; nothing is evaluated, so a cache
file someone edited can at worst give a wrong report for bytes it names (the cache directory is
the instance's, like the PDF store).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from responsibility.verify.reasons import Reason
from responsibility.verify.report import (
    CertificateInfo,
    DocumentReport,
    RequiredSignature,
    SignatureReport,
    VerificationReport,
)

__all__ = ["report_from_data", "report_to_data"]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def report_to_data(report: VerificationReport) -> dict[str, Any]:
    """Every field of ``report`` (nested), datetimes as ISO 8601."""
    return dict(_plain(dataclasses.asdict(report)))


def _reasons(items: list[dict[str, Any]]) -> tuple[Reason, ...]:
    return tuple(Reason(i["code"], i["message"], i.get("field")) for i in items)


def _signature(d: dict[str, Any]) -> SignatureReport:
    signed_at = d.get("signed_at")
    return SignatureReport(
        field=d["field"],
        kind=d["kind"],
        signer=CertificateInfo(**d["signer"]),
        post=d.get("post"),
        signed_at=datetime.fromisoformat(signed_at) if signed_at else None,
        timestamp_trusted=bool(d["timestamp_trusted"]),
        intact=bool(d["intact"]),
        trusted=bool(d["trusted"]),
        revoked=bool(d["revoked"]),
        modification_level=d.get("modification_level"),
        changed_fields=tuple(d.get("changed_fields", ())),
        coverage=d.get("coverage"),
        valid=bool(d["valid"]),
        reasons=_reasons(d.get("reasons", [])),
    )


def report_from_data(data: dict[str, Any]) -> VerificationReport:
    """The report :func:`report_to_data` gave; ``KeyError``/``TypeError``/``ValueError`` when the
    data is not one."""
    doc = dict(data["document"])
    doc["required"] = tuple(RequiredSignature(**r) for r in doc.get("required", ()))
    return VerificationReport(
        verdict=data["verdict"],
        reasons=_reasons(data["reasons"]),
        document=DocumentReport(**doc),
        signatures=tuple(_signature(s) for s in data.get("signatures", ())),
        from_registry_cache=bool(data.get("from_registry_cache", False)),
    )
