"""Uniform error handling for commands: one line on stderr, exit code 2, never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask import current_app, has_app_context

from ..errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    click.echo("error: " + " ".join(str(message).split()), err=True)
    sys.exit(code)


def error_line(err: DomainError) -> str:
    """The one line for ``err``: its message in the instance's language (the catalogue, as the
    pages show it) followed by the English text in brackets when they differ, so scripts and
    logs can still match the English."""
    english = str(err)
    if not has_app_context():
        return english
    from flask_babel import force_locale

    from ..web.messages import error_text

    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE") or "zh_CN"):
        local = error_text(err)
    return local if local == english else f"{local} ({english})"


def handle_domain_errors(func: F) -> F:
    """Decorator for commands: DomainError and unreadable files become one line and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as err:
            fail(error_line(err))
        except OSError as err:
            fail(f"{getattr(err, 'filename', '') or ''}: {err.strerror or err}")
        return None

    return wrapper  # type: ignore[return-value]
