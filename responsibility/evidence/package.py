"""The evidence package: one ZIP that lets a third party check agreements without our server.

Contents (entries in sorted order, every entry dated ``now``; the order and names are stable, the
sealed report PDFs are not byte-identical between runs because their signatures carry the time):

* ``README.txt`` — in Chinese: what is here and how to verify it offline (pyHanko's CLI, OpenSSL);
* ``root.pem`` — the county root certificate; ``crl/NN.crl`` — the current CRLs of our CAs (DER);
* ``agreements/<number>/<number>.pdf`` — the final signed PDF (latest accepted revision);
* ``agreements/<number>/verification.json`` — ``verify_pdf``'s report on it;
* ``agreements/<number>/verification.pdf`` — the same report, readable, sealed by the bureau;
* ``audit-events.jsonl`` — the audit events concerning them, with ``prev_hash`` and ``hash``;
* ``checkpoints/<number>.json`` + ``.p7s`` — the signed checkpoints of the audit chain (the same
  files as ``instance/audit/checkpoints/``);
* ``manifest.json`` — SHA-256 of every other entry, the scope and each agreement's verdict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.storage import PdfStore
from ..canonical import canonical_text
from ..clock import DEFAULT_ZONE, iso_utc, to_local
from ..models import Agreement, AuditCheckpoint, AuditEvent
from ..signing import read_witness
from ..verify import verify_pdf
from ..verify.registry import RegistryLookup
from ..verify.settings import Limits, TrustConfig
from .errors import NothingToExport, NoTrustRoot
from .readme import readme_text
from .report_pdf import ReportSealer, render_report_pdf, seal_report_pdf

__all__ = ["build_evidence", "entry_name", "event_subjects", "events_concerning"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def entry_name(document_number: str) -> str:
    """A document number as a safe file and folder name."""
    return _UNSAFE.sub("_", document_number).strip("._") or "agreement"


def event_subjects(agreements: Sequence[Agreement], campaign_ids: Sequence[int] = ()) -> list[str]:
    """Subjects under which services log events about these agreements (by id and by number)."""
    subjects = {f"agreement:{a.id}" for a in agreements} | {f"agreement:{a.document_number}" for a in agreements}
    subjects |= {f"campaign:{cid}" for cid in campaign_ids}
    return sorted(subjects)


def events_concerning(session: Session, subjects: Sequence[str]) -> list[AuditEvent]:
    """The audit events about ``subjects``, oldest first."""
    if not subjects:
        return []
    return list(session.scalars(select(AuditEvent).where(AuditEvent.subject.in_(subjects)).order_by(AuditEvent.seq)))


def _event_line(e: AuditEvent) -> str:
    body = {
        "seq": e.seq,
        "at": iso_utc(e.at),
        "actor": e.actor,
        "action": e.action,
        "subject": e.subject,
        "data": e.data,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }
    return canonical_text(body)


def _final_pdf(store: PdfStore, agreement: Agreement) -> tuple[bytes, int | None]:
    revisions = sorted(agreement.revisions, key=lambda r: r.seq)
    if revisions:
        return store.read(revisions[-1].sha256), revisions[-1].seq
    return store.read(agreement.pdf_sha256), None


def build_evidence(
    session: Session,
    *,
    agreements: Sequence[Agreement],
    store: PdfStore,
    trust: TrustConfig,
    registry: RegistryLookup | None,
    audit_events: Sequence[AuditEvent] | None,
    seal_signer: ReportSealer,
    now: dt.datetime,
    scope: str = "",
    limits: Limits | None = None,
    zone: dt.tzinfo = DEFAULT_ZONE,
    extra_files: Mapping[str, bytes] | None = None,
) -> bytes:
    """The ZIP for ``agreements`` (see the module docstring). ``audit_events`` None means the
    events concerning the agreements (:func:`events_concerning`). ``extra_files`` (name → bytes,
    e.g. the incident dossier's JSON) join the archive and the manifest; with them the package
    may hold no agreement. Reads only; the caller logs ``evidence.exported``."""
    if not agreements and not extra_files:
        raise NothingToExport("nothing to export: no agreements")
    if not trust.roots:
        raise NoTrustRoot("nothing to verify against: no trust root")
    files: dict[str, bytes] = dict(extra_files or {})
    summary: list[dict[str, Any]] = []
    for agreement in sorted(agreements, key=lambda a: a.document_number):
        name = entry_name(agreement.document_number)
        if f"agreements/{name}/{name}.pdf" in files:
            name = f"{name}-{agreement.id}"
        pdf, revision = _final_pdf(store, agreement)
        report = verify_pdf(pdf, trust=trust, registry=registry, limits=limits)
        readable = render_report_pdf(report, file_name=f"{name}.pdf", generated_at=now, zone=zone)
        folder = f"agreements/{name}/"
        files[folder + f"{name}.pdf"] = pdf
        files[folder + "verification.json"] = _json(report.as_json())
        files[folder + "verification.pdf"] = seal_report_pdf(readable, seal_signer)
        summary.append(
            {
                "document_number": agreement.document_number,
                "folder": folder,
                "state": agreement.state,
                "revision": revision,
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "verdict": report.verdict,
                "audit_witness": read_witness(pdf),
            }
        )
    events = list(audit_events) if audit_events is not None else events_concerning(session, event_subjects(agreements))
    files["audit-events.jsonl"] = "".join(_event_line(e) + "\n" for e in sorted(events, key=lambda e: e.seq)).encode()
    for cp in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)):
        files[f"checkpoints/{cp.id:06d}.json"] = cp.payload.encode("utf-8")
        files[f"checkpoints/{cp.id:06d}.p7s"] = bytes(cp.cms)
    root = x509.load_der_x509_certificate(trust.roots[0])
    files["root.pem"] = root.public_bytes(serialization.Encoding.PEM)
    for i, crl in enumerate(trust.crls, start=1):
        files[f"crl/{i:02d}.crl"] = crl
    example = (
        summary[0]["folder"] + summary[0]["folder"].split("/")[1] + ".pdf"
        if summary
        else "agreements/<编号>/<编号>.pdf"
    )
    files["README.txt"] = readme_text(
        scope=scope,
        generated_at=now,
        example_pdf=example,
        crls=sorted(n for n in files if n.startswith("crl/")),
        zone=zone,
    ).encode("utf-8")
    files["manifest.json"] = _json(
        {
            "scope": scope,
            "generated_at": iso_utc(now),
            "agreements": summary,
            "files": {n: hashlib.sha256(files[n]).hexdigest() for n in sorted(files)},
        }
    )
    return _zip(files, to_local(now, zone))


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _zip(files: dict[str, bytes], moment: dt.datetime) -> bytes:
    """The archive; every entry carries ``moment`` (local time: ZIP stamps have no zone)."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()
