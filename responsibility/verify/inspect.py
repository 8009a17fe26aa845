"""The file alone: parse untrusted bytes and collect :class:`PdfFacts` (runs in the worker).

Strict parsing with pyHanko's decode limits; an encrypted file is refused; nothing is fetched.
Besides each signature (:mod:`.signatures`) this finds the structural problems pyHanko forgives:
bytes after the final ``%%EOF``, an unsigned revision after the last signature (even a metadata-only
one, which the diff analysis whitelists), signed fields pyHanko silently skips (an unknown
SubFilter), and form fields that are not signature fields. It also reads what the file says it is:
the document number and signers of the embedded responsibility matrix, which the certification
signature covers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko_certvalidator import ValidationContext

from responsibility.verify.acceptance import bytes_after_final_eof, form_fields, read_pdf
from responsibility.verify.facts import MatrixSigner, PdfFacts, SignatureFacts
from responsibility.verify.library_errors import pdf_problem_chinese
from responsibility.verify.reasons import Reason, reason
from responsibility.verify.settings import Limits, TrustConfig
from responsibility.verify.signatures import analyse_signature, validation_context

__all__ = ["MATRIX_FILE_NAME", "ROLE_LABELS", "inspect_pdf", "read_embedded_matrix"]

#: Name of the attachment ``responsibility.pdf.postprocess`` embeds (kept equal by a test).
MATRIX_FILE_NAME = "responsibility-matrix.json"
#: How the posts of the signer roles read, when the registry does not say.
ROLE_LABELS = {
    "bureau_seal": "单位印章",
    "bureau_party_secretary": "党组书记",
    "bureau_chief": "局长",
    "school_party_secretary": "党组织书记",
    "party_instructor": "党建指导员",
    "principal": "校长",
}
_MAX_TREE_NODES = 2000


def _name_tree_items(node: Any, budget: list[int]) -> Iterator[tuple[str, Any]]:
    """Leaves of a PDF name tree, visiting at most ``_MAX_TREE_NODES`` nodes (cycles end there)."""
    budget[0] -= 1
    if budget[0] < 0 or not isinstance(node, generic.DictionaryObject):
        return
    names = node.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, generic.ArrayObject):
        for i in range(0, len(names) - 1, 2):
            yield str(names[i]), names[i + 1]
    kids = node.get("/Kids")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, generic.ArrayObject) else []:
        yield from _name_tree_items(kid.get_object(), budget)


def _matrix(reader: PdfFileReader, limits: Limits) -> dict[str, Any] | None:
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except (KeyError, TypeError):
        return None
    for name, spec in _name_tree_items(tree.get_object(), [_MAX_TREE_NODES]):
        if name != MATRIX_FILE_NAME:
            continue
        stream = spec.get_object()["/EF"]["/F"].get_object()
        data = stream.data
        if len(data) > limits.max_attachment_bytes:
            return None
        value = json.loads(data.decode("utf-8"))
        return value if isinstance(value, dict) else None
    return None


def _field_labels(reader: PdfFileReader) -> dict[str, str]:
    """Signature field → its tooltip (``/TU``), which the renderer sets to ``post：name``."""
    labels = {}
    try:
        for name, _, ref in enumerate_sig_fields(reader):
            label = ref.get_object().get("/TU")
            if label is not None:
                labels[name] = str(label)
    except Exception:  # labels only improve the wording
        return {}
    return labels


def _matrix_signers(matrix: dict[str, Any], labels: dict[str, str]) -> tuple[MatrixSigner, ...]:
    names = {p.get("person_id"): p.get("person_name") for p in matrix.get("posts", []) if isinstance(p, dict)}
    signers = []
    for entry in matrix.get("signers", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("field"), str):
            continue
        roles = tuple(str(r) for r in entry.get("roles", []) if isinstance(r, str))
        person = entry.get("person_id") if isinstance(entry.get("person_id"), str) else None
        post = "、".join(ROLE_LABELS.get(r, r) for r in roles) or None
        name = names.get(person)
        label = labels.get(entry["field"], "")
        if "：" in label:  # the printed label (园长 at a kindergarten, both posts of one person)
            post, _, printed_name = label.partition("：")
            name = name or printed_name or None
        signers.append(MatrixSigner(entry["field"], roles, person, name, post))
    return tuple(signers)


def read_embedded_matrix(data: bytes, limits: Limits | None = None) -> tuple[str | None, tuple[MatrixSigner, ...]]:
    """(document number, signers) of the responsibility matrix embedded in one of OUR stored files
    (in-process, no time limit: never call this on uploads). ``(None, ())`` when there is none."""
    reader = read_pdf(data)
    matrix = _matrix(reader, limits or Limits())
    if matrix is None:
        return None, ()
    number = matrix.get("document_number")
    return (number if isinstance(number, str) else None), _matrix_signers(matrix, _field_labels(reader))


def _structure_reasons(data: bytes, reader: PdfFileReader, signatures: list[SignatureFacts]) -> list[Reason]:
    reasons = []
    if bytes_after_final_eof(data):
        reasons.append(reason("data_after_eof"))
    total = reader.xrefs.total_revisions
    if signatures and max(s.signed_revision for s in signatures) < total - 1:
        reasons.append(reason("unsigned_revision"))
    seen = {s.field for s in signatures}
    for name, value, _ in enumerate_sig_fields(reader, filled_status=True):
        if value is not None and name not in seen:
            reasons.append(reason("unknown_signature", field=name))
    others = sorted(name for name, ft in form_fields(reader).items() if ft != "/Sig")
    if others:
        reasons.append(reason("non_signature_fields", detail="、".join(others[:10])))
    return reasons


def _unreadable(data: bytes, why: Reason) -> PdfFacts:
    return PdfFacts(sha256=hashlib.sha256(data).hexdigest(), size=len(data), unreadable=why)


def inspect_pdf(data: bytes, trust: TrustConfig, limits: Limits) -> PdfFacts:
    """Everything the file itself shows. Never raises for bad input: an unreadable file gives
    facts with ``unreadable`` set."""
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > limits.max_bytes:
        return _unreadable(data, reason("too_large", detail=f"{limits.max_bytes} 字节"))
    try:
        reader = read_pdf(data)
        if reader.encrypt_dict is not None:
            return _unreadable(data, reason("encrypted"))
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # any parse failure of untrusted input is an answer, not a crash
        return _unreadable(data, reason("not_pdf", detail=pdf_problem_chinese(exc)))
    try:
        roots = [asn1_x509.Certificate.load(der) for der in trust.roots]
        crls = list(trust.crls)
        now = validation_context(roots, crls, revocation_required=trust.revocation_required)

        def at_moment(moment: datetime) -> ValidationContext:
            return validation_context(roots, crls, revocation_required=trust.revocation_required, moment=moment)

        signatures = [analyse_signature(sig, now, at_moment) for sig in embedded]
        try:
            matrix = _matrix(reader, limits)
        except Exception:  # a damaged attachment: the file simply does not say what it is
            matrix = None
        structure = _structure_reasons(data, reader, signatures)
        total = reader.xrefs.total_revisions
    except Exception as exc:
        return _unreadable(data, reason("not_pdf", detail=pdf_problem_chinese(exc)))
    number = matrix.get("document_number") if matrix else None
    return PdfFacts(
        sha256=sha256,
        size=len(data),
        document_number=number if isinstance(number, str) else None,
        matrix_signers=_matrix_signers(matrix, _field_labels(reader)) if matrix else (),
        total_revisions=total,
        signatures=tuple(signatures),
        reasons=tuple(structure),
    )
