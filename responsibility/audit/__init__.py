"""Append-only, hash-chained audit log (ARCHITECTURE §5)."""

from .log import ChainCheck, append_event, canonical_json, deferred_events, event_hash, lock_chain, verify_chain

__all__ = [
    "ChainCheck",
    "append_event",
    "canonical_json",
    "deferred_events",
    "event_hash",
    "lock_chain",
    "verify_chain",
]
