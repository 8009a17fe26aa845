"""What the verification doors (``/verify``, ``POST /api/verify``, ``flask verify``) hand to
``verify.verify_pdf``: the instance's trust (county root + current CRLs), the limits from the
settings, and the registry of agreements read from the database.

Settings (``responsibility.settings``: ``LimitSettings`` and ``TrustSettings``; the instance
context builds the trust):

* ``VERIFY_MAX_BYTES`` — largest file verified (default 20 MB; the web also caps the request at
  ``MAX_CONTENT_LENGTH``);
* ``VERIFY_TIME_LIMIT`` — seconds one verification may take before it is ``unreadable`` (30);
* ``VERIFY_ISOLATE`` — parse in worker processes (default ``True``; the time limit needs it);
* ``VERIFY_EXTRA_ROOTS`` — paths of further trusted root certificates (PEM or DER), e.g. an
  external CA whose signatures are accepted.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Agreement, AgreementRevision, Hazard, IssuedCertificate, Person
from ..settings import LimitSettings
from ..verify.facts import MatrixSigner
from ..verify.inspect import read_embedded_matrix
from ..verify.registry import AcceptedRevision, ExpectedSignature, RegistryFacts
from ..verify.settings import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT, Limits
from .storage import PdfStore

__all__ = ["HAZARD_SEAL_FIELD", "DatabaseRegistry", "verification_limits", "verification_registry"]

HAZARD_SEAL_FIELD = "sig_bureau_seal"
"""The seal's field on the hazard documents (``hazards.documents.SEAL_FIELD`` is this name)."""


def verification_limits(limits: LimitSettings) -> Limits:
    """The verifier's limits from the instance's settings (defaults where unset)."""
    return Limits(
        max_bytes=limits.verify_max_bytes or DEFAULT_MAX_BYTES,
        time_limit=limits.verify_time_limit or DEFAULT_TIME_LIMIT,
        isolate=limits.verify_isolate,
    )


class DatabaseRegistry:
    """:class:`~responsibility.verify.RegistryLookup` over the agreement tables.

    The expected signature fields and who signs them come from the responsibility matrix of the
    agreement's generated revision (the file the registry stored first, read from the PDF store);
    names from the persons table; pinned certificates are every certificate our CA issued to the
    signer. Expected fields are cached per agreement and revision-1 hash for the process.
    """

    def __init__(self, session: Session, store: PdfStore) -> None:
        self.session = session
        self.store = store

    def _agreement(self, document_number: str | None, sha256: str) -> Agreement | None:
        if document_number:
            found = self.session.scalar(select(Agreement).where(Agreement.document_number == document_number))
            if found is not None:
                return found
        return self.session.scalar(
            select(Agreement).join(AgreementRevision).where(AgreementRevision.sha256 == sha256).limit(1)
        )

    def _expected(self, first: AgreementRevision) -> tuple[ExpectedSignature, ...]:
        cached = _expected_cache.get(first.sha256)
        if cached is None:
            try:
                _, signers = read_embedded_matrix(self.store.read(first.sha256))
            except Exception:  # a missing or damaged stored file: nothing can be expected
                signers = ()
            if len(_expected_cache) >= _EXPECTED_CACHE_SIZE:
                _expected_cache.clear()
            _expected_cache[first.sha256] = cached = signers
        ids = [s.person_source_id for s in cached if s.person_source_id]
        persons = {p.source_id: p for p in self.session.scalars(select(Person).where(Person.source_id.in_(ids)))}
        pinned: dict[int, list[bytes]] = {}
        if persons:
            rows = self.session.execute(
                select(IssuedCertificate.person_id, IssuedCertificate.der).where(
                    IssuedCertificate.person_id.in_([p.id for p in persons.values()])
                )
            )
            for person_id, der in rows:
                if person_id is not None:
                    pinned.setdefault(person_id, []).append(bytes(der))
        expected = []
        for signer in cached:
            person = persons.get(signer.person_source_id or "")
            expected.append(
                ExpectedSignature(
                    signer.field,
                    signer.role_codes,
                    signer.person_source_id,
                    person.name if person is not None else signer.person_name,
                    signer.post_name,
                    tuple(pinned.get(person.id, ())) if person is not None else (),
                )
            )
        return tuple(expected)

    def _sealed_hazard_document(self, sha256: str) -> RegistryFacts | None:
        """A hazard's sealed dossier or supervision notice (``responsibility.hazards``): one
        stored revision certified by the bureau seal in :data:`HAZARD_SEAL_FIELD`."""
        row = self.session.execute(
            select(Hazard.file_no, Hazard.status, Hazard.dossier_sha256)
            .where(or_(Hazard.dossier_sha256 == sha256, Hazard.supervision_notice_sha256 == sha256))
            .limit(1)
        ).first()
        if row is None or not self.store.exists(sha256):
            return None
        file_no, status, dossier = row
        kind = "隐患档案" if dossier == sha256 else "挂牌督办通知书"
        return RegistryFacts(
            document_number=f"{file_no}（{kind}）",
            state=status,
            revisions=(AcceptedRevision(1, sha256, self.store.path(sha256).stat().st_size),),
            expected=(ExpectedSignature(HAZARD_SEAL_FIELD, ("bureau_seal",), None, None, "单位印章"),),
            signed_fields=frozenset({HAZARD_SEAL_FIELD}),
        )

    def lookup(self, *, document_number: str | None, sha256: str) -> RegistryFacts | None:
        agreement = self._agreement(document_number, sha256)
        if agreement is None:
            return self._sealed_hazard_document(sha256) if not document_number else None
        revisions = sorted(agreement.revisions, key=lambda r: r.seq)
        return RegistryFacts(
            document_number=agreement.document_number,
            state=agreement.state,
            revisions=tuple(AcceptedRevision(r.seq, r.sha256, r.size) for r in revisions),
            expected=self._expected(revisions[0]) if revisions else (),
            signed_fields=frozenset(r.field_name for r in revisions if r.field_name),
        )


_EXPECTED_CACHE_SIZE = 10_000
_expected_cache: dict[str, tuple[MatrixSigner, ...]] = {}


def verification_registry(session: Session, store: PdfStore) -> DatabaseRegistry:
    """The registry the doors consult: the database and the instance's PDF store."""
    return DatabaseRegistry(session, store)
