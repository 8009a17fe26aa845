"""The accountability chain (read-only queries): who answered for a place on a given day.

``chain_at`` is the one entry point the CLI, the chain page and the gap report build on.
"""

from .query import chain_at
from .subjects import ChainLink, ChainPath, ChainSubject, Gap, Role

__all__ = ["ChainLink", "ChainPath", "ChainSubject", "Gap", "Role", "chain_at"]
