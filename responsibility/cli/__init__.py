"""`flask …` command groups: thin wrappers that parse, call a service, map errors to exit codes.

One module per command group (ARCHITECTURE §6 names a single ``cli.py``; a package keeps each
group under ~400 lines). Every command turns a :class:`~responsibility.errors.DomainError` into
one line on stderr and exit code 2.
"""

from __future__ import annotations

from flask import Flask

from .core import init_command
from .verbosity import add_verbose_option


def register_cli(app: Flask) -> None:
    from . import (
        accountability,
        agreement,
        assess,
        audit,
        campaign,
        cascade,
        chain,
        demo,
        evidence,
        incident,
        jobs,
        keys,
        org,
        pki,
        sign,
        users,
        verify,
    )
    from .education import group as education_group
    from .hazard_all import group as hazard_group
    from .patrol import group as patrol_group
    from .round import group as round_group
    from .season import firefile_group, roster_group, visits_group
    from .storage import group as storage_group

    app.cli.add_command(init_command)
    for group in (
        demo.group,
        org.group,
        users.group,
        campaign.group,
        agreement.group,
        pki.group,
        keys.group,
        audit.group,
        evidence.group,
        chain.group,
        chain.escalate_group,
        cascade.group,
        hazard_group,
        round_group,
        roster_group,
        firefile_group,
        visits_group,
        patrol_group,
        education_group,
        jobs.group,
        assess.group,
        accountability.group,
        incident.group,
    ):
        app.cli.add_command(group)
    app.cli.add_command(verify.command)
    app.cli.add_command(sign.command)
    app.cli.add_command(storage_group)
    for command in app.cli.commands.values():
        add_verbose_option(command)
