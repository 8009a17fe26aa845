"""``--verbose`` on every command: one line per problem by default, details on request.

Every ``flask …`` command of the project gets a ``--verbose`` flag (added by
:func:`add_verbose_option` when the commands are registered). Without it, the libraries' logs
are silenced (:mod:`responsibility.library_logs`) and our own warnings print as one line each,
without tracebacks; with it, the libraries log at debug level and tracebacks are shown, in this
process and in the verification workers it starts.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

import click

from ..library_logs import VERBOSE_ENV, quiet_library_logs

__all__ = ["add_verbose_option", "configure_cli_logging"]


class _OneLine(logging.Formatter):
    """``warning: message`` on one line; the traceback (if any) left out."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {' '.join(record.getMessage().split())}"


def configure_cli_logging(verbose: bool) -> None:
    """Install the command line's logging choice for this process and its workers."""
    os.environ[VERBOSE_ENV] = "1" if verbose else "0"
    quiet_library_logs(verbose)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_responsibility_cli", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler._responsibility_cli = True  # type: ignore[attr-defined]
    if verbose:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(_OneLine())
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def _wrap(command: click.Command) -> None:
    if any(p.name == "verbose" for p in command.params) or command.callback is None:
        return
    callback = command.callback

    @functools.wraps(callback)
    def with_verbosity(*args: Any, verbose: bool = False, **kwargs: Any) -> Any:
        configure_cli_logging(verbose)
        return callback(*args, **kwargs)

    command.params.append(
        click.Option(["--verbose"], is_flag=True, default=False, help="Show details and tracebacks of problems.")
    )
    command.callback = with_verbosity


def add_verbose_option(command: click.Command) -> None:
    """Give ``command`` (and every subcommand of a group) the ``--verbose`` flag."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_verbose_option(sub)
        return
    _wrap(command)
