"""`flask …` command groups: thin wrappers that parse, call a service, map errors to exit codes.

One module per command group (ARCHITECTURE §6 names a single ``cli.py``; a package keeps each
group under ~400 lines). Every command turns a :class:`~responsibility.errors.DomainError` into
one line on stderr and exit code 2.
"""

from __future__ import annotations

from flask import Flask

from .core import init_command


def register_cli(app: Flask) -> None:
    from . import agreement, campaign, demo, org, users

    app.cli.add_command(init_command)
    for module in (demo, org, users, campaign, agreement):
        app.cli.add_command(module.group)
    from . import keys, pki

    for module in (pki, keys):
        app.cli.add_command(module.group)
    from . import audit

    app.cli.add_command(audit.group)
    from . import evidence

    app.cli.add_command(evidence.group)
    from . import verify

    app.cli.add_command(verify.command)
    from . import sign

    app.cli.add_command(sign.command)
    from . import chain

    app.cli.add_command(chain.group)
    app.cli.add_command(chain.escalate_group)
