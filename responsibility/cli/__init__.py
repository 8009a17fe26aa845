"""`flask …` command groups: thin wrappers that parse, call a service, map errors to exit codes.

One module per command group (ARCHITECTURE §6 names a single ``cli.py``; a package keeps each
group under ~400 lines). Every command turns a :class:`~responsibility.errors.DomainError` into
one line on stderr and exit code 2.
"""

from __future__ import annotations

from flask import Flask

from .core import init_command


def register_cli(app: Flask) -> None:
    from . import demo, org, users

    app.cli.add_command(init_command)
    for module in (demo, org, users):
        app.cli.add_command(module.group)
