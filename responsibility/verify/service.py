"""The one verification service behind the three doors (``/verify``, ``POST /api/verify``,
``flask verify``): bytes in, a frozen :class:`VerificationReport` out.

The file is analysed in a worker process under a time limit (:mod:`.worker`); the registry is
consulted here, in the caller's process, with the document number the file carries and the file's
hash; then :func:`.judge.judge` applies the rules of ARCHITECTURE §4 that need the registry.
"""

from __future__ import annotations

from responsibility.verify.facts import PdfFacts
from responsibility.verify.inspect import inspect_pdf
from responsibility.verify.judge import judge, unreadable_report
from responsibility.verify.reasons import reason
from responsibility.verify.registry import RegistryFacts, RegistryLookup
from responsibility.verify.report import VerificationReport
from responsibility.verify.settings import Limits, TrustConfig
from responsibility.verify.worker import inspect_isolated

__all__ = ["verify_pdf"]


def _lookup(registry: RegistryLookup, facts: PdfFacts) -> RegistryFacts | None:
    return registry.lookup(document_number=facts.document_number, sha256=facts.sha256)


def verify_pdf(
    data: bytes, *, trust: TrustConfig, registry: RegistryLookup | None, limits: Limits | None = None
) -> VerificationReport:
    """Verify ``data`` (any bytes: hostile input gets an answer, never an exception).

    ``registry`` ``None`` means the registry is not consulted: the verdict is then at best
    ``incomplete`` (the file cannot be confirmed as the latest accepted revision).
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        return unreadable_report(data, reason("too_large", detail=f"{limits.max_bytes} 字节"))
    if not data:
        return unreadable_report(data, reason("not_pdf", detail="空文件"))
    facts = inspect_isolated(data, trust, limits) if limits.isolate else inspect_pdf(data, trust, limits)
    if facts.unreadable is not None:
        return judge(data, facts, None, registry_consulted=False)
    found = _lookup(registry, facts) if registry is not None else None
    return judge(data, facts, found, registry_consulted=registry is not None)
