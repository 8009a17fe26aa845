"""What the registry (the database of agreements) says about a document, as plain frozen data.

``verify`` never touches the database: the caller passes a :class:`RegistryLookup`, implemented
over the agreement models elsewhere (``responsibility.agreements.registry``). The lookup is called
in the caller's process with the document number read from the file and/or the file's SHA-256.
:class:`InMemoryRegistry` is the simple implementation for tests and offline use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol, runtime_checkable

__all__ = [
    "AcceptedRevision",
    "ExpectedSignature",
    "InMemoryRegistry",
    "RegistryFacts",
    "RegistryLookup",
]


@dataclass(frozen=True)
class AcceptedRevision:
    """One stored, accepted PDF revision of an agreement (``seq`` 1 is the generated file)."""

    seq: int
    sha256: str
    """Hex SHA-256 of the whole file of this revision."""
    size: int
    """Its length in bytes (prefix pinning compares ``data[:size]``)."""


@dataclass(frozen=True)
class ExpectedSignature:
    """A signature field of the agreement and who must sign it."""

    field: str
    role_codes: tuple[str, ...]
    """E.g. ``("school_party_secretary", "principal")`` when one person holds both posts."""
    person_source_id: str | None = None
    """The signer's source id (``None`` for the bureau seal)."""
    person_name: str | None = None
    post_name: str | None = None
    """The post(s) signed for, as printed, e.g. ``党组书记、局长``."""
    pinned_certificates: tuple[bytes, ...] = ()
    """DER of the certificates enrolled for this signer; empty: no pinning known."""
    required: bool = True


@dataclass(frozen=True)
class RegistryFacts:
    """Everything the registry knows about one agreement."""

    document_number: str
    state: str
    """The agreement's life-cycle state (``issued``, ``countersigned``, ``void`` …)."""
    revisions: tuple[AcceptedRevision, ...]
    """Accepted revisions, oldest first; the last one is the current file."""
    expected: tuple[ExpectedSignature, ...]
    timestamp_fields: frozenset[str] = frozenset()
    """Fields that take a document timestamp (B-LTA), never a person's signature."""
    signed_fields: frozenset[str] = frozenset()
    """Fields signed in the accepted revisions (what the public document page shows)."""

    @property
    def latest(self) -> AcceptedRevision | None:
        return self.revisions[-1] if self.revisions else None

    def by_field(self) -> Mapping[str, ExpectedSignature]:
        return MappingProxyType({e.field: e for e in self.expected})


@runtime_checkable
class RegistryLookup(Protocol):
    """Implemented by the caller (the web, the CLI) over the database."""

    def lookup(self, *, document_number: str | None, sha256: str) -> RegistryFacts | None:
        """The agreement with this document number, else the one having a revision with this
        hash; ``None`` when neither is known. Must not raise for unknown input."""
        ...


@dataclass
class InMemoryRegistry:
    """A registry held in a dict: for tests, benchmarks and offline checks."""

    agreements: dict[str, RegistryFacts] = field(default_factory=dict)

    def add(self, facts: RegistryFacts) -> None:
        self.agreements[facts.document_number] = facts

    def lookup(self, *, document_number: str | None, sha256: str) -> RegistryFacts | None:
        if document_number is not None and document_number in self.agreements:
            return self.agreements[document_number]
        for facts in self.agreements.values():
            if any(r.sha256 == sha256 for r in facts.revisions):
                return facts
        return None

    @staticmethod
    def revisions_of(files: Iterable[bytes]) -> tuple[AcceptedRevision, ...]:
        """Accepted revisions from the bytes of each accepted file, oldest first."""
        import hashlib

        return tuple(
            AcceptedRevision(i, hashlib.sha256(data).hexdigest(), len(data)) for i, data in enumerate(files, 1)
        )
