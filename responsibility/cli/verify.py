"""`flask verify FILE [--json]`: the command-line door to the one verification service.

Exit codes (ARCHITECTURE §6): 0 valid and complete, 1 invalid or incomplete, 2 unreadable or bad
input (one line on stderr). The same service, trust and registry as ``/verify`` and
``POST /api/verify``, so the three doors always agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..agreements.registry import verification_limits, verification_registry
from ..extensions import db, db_session
from ..verify import VerificationReport
from .context import instance
from .errors import fail, handle_domain_errors

__all__ = ["command", "print_report"]


def print_report(report: VerificationReport) -> None:
    """The report as plain text: verdict, document, reasons, one line per signature."""
    click.echo(f"{report.label} ({report.verdict})")
    _print_details(report)


def _print_details(report: VerificationReport) -> None:
    doc = report.document
    click.echo(f"文书编号: {doc.document_number or '—'}  sha256: {doc.sha256}")
    if doc.registry_found:
        click.echo(f"登记状态: {doc.state}  匹配: {doc.match}  版本: {doc.revision}/{doc.revisions}")
    if report.from_registry_cache:
        click.echo("验证: 来自登记缓存（此登记文件此前已在相同的信任与吊销状态下验证过）")
    for item in report.reasons:
        click.echo(f"- [{item.code}] {item.message}")
    for sig in report.signatures:
        mark = "✓" if sig.valid else "✗"
        when = sig.signed_at.isoformat() if sig.signed_at else "—"
        click.echo(
            f"{mark} {sig.field}: {sig.signer.name or '?'} ({sig.post or '—'}) {when} "
            f"timestamp={'trusted' if sig.timestamp_trusted else 'none'} "
            f"intact={sig.intact} trusted={sig.trusted} revoked={sig.revoked} "
            f"modification={sig.modification_level or '—'}"
        )


@click.command("verify")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the report as JSON (one object per line for several files)."
)
@with_appcontext
@handle_domain_errors
def command(files: tuple[Path, ...], as_json: bool) -> None:
    """Verify signed agreement PDFs: exit 0 valid and complete, 1 invalid or incomplete, 2 unreadable.

    With several files each report starts with a line ``FILE: verdict`` (JSON: one object per
    line with its ``file``) and the exit code is the worst of them; an unreadable file is one line
    on stderr and does not stop the others."""
    if len(files) == 1:
        report = _verify(files[0])
        _print(report, as_json)
        if report.exit_code == 2:
            fail(report.reasons[0].message if report.reasons else "unreadable")
        sys.exit(report.exit_code)
    worst = 0
    for file in files:
        try:
            report = _verify(file)
        except OSError as err:
            click.echo(f"error: {file}: {err.strerror or err}", err=True)
            worst = 2
            continue
        if as_json:
            click.echo(json.dumps({"file": str(file), **report.as_json()}, ensure_ascii=False))
        else:
            click.echo(f"{file}: {report.label} ({report.verdict})")
            _print_details(report)
        if report.exit_code == 2:
            reason = report.reasons[0].message if report.reasons else "unreadable"
            click.echo(f"error: {file}: {' '.join(reason.split())}", err=True)
        worst = max(worst, report.exit_code)
    sys.exit(worst)


def _verify(file: Path) -> VerificationReport:
    context = instance()
    limits = verification_limits(context.settings.limits)
    with file.open("rb") as handle:
        data = handle.read(limits.max_bytes + 1)
    trust = context.trust(db_session())
    registry = verification_registry(db_session(), context.store)
    report = context.verification_cache.verify(data, trust=trust, registry=registry, limits=limits)
    db.session.rollback()  # verification only reads
    return report


def _print(report: VerificationReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
