"""Uniform error handling for commands: one line on stderr, exit code 2, never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    click.echo("error: " + " ".join(str(message).split()), err=True)
    sys.exit(code)


def handle_domain_errors(func: F) -> F:
    """Decorator for commands: DomainError and unreadable files become one line and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as err:
            fail(str(err))
        except OSError as err:
            fail(f"{getattr(err, 'filename', '') or ''}: {err.strerror or err}")
        return None

    return wrapper  # type: ignore[return-value]
