"""The instance PKI: `flask pki init` / `flask init`, the secret, the per-process loader, the
root export, and choosing the timestamper."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from responsibility.models import Bureau, County
from responsibility.pki import ExternalTimeStamper, LocalTimeStamper, PkiError, export_root_pem
from responsibility.pki.instance import (
    PkiMissing,
    instance_pki_dir,
    load_instance_pki,
    timestamper_for,
)


def _cn(cert: x509.Certificate) -> str:
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value  # type: ignore[return-value]


def test_pki_init_creates_the_cas_once_with_the_county_names(app, runner, session) -> None:  # type: ignore[no-untyped-def]
    session.add(County(name="岚川县", bureau_source_id="ORG-B"))
    session.add(Bureau(source_id="ORG-B", name="岚川县教育和体育科学局"))
    session.commit()
    directory = instance_pki_dir(app.instance_path)

    first = runner.invoke(args=["pki", "init"])
    assert first.exit_code == 0, first.output
    assert "created" in first.output
    for name in ("root", "issuing", "tsa"):
        assert (directory / f"{name}.crt.pem").is_file()
        key = (directory / f"{name}.key.pem").read_bytes()
        assert key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    secret = directory / "secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_bytes()) == 32
    pki = load_instance_pki(app.instance_path, app.config)
    assert _cn(pki.root_certificate) == "岚川县教育安全责任根证书"
    assert pki.bureau_name == "岚川县教育和体育科学局"
    assert pki.base_url == app.config["PUBLIC_BASE_URL"]

    root_before = (directory / "root.crt.pem").read_bytes()
    second = runner.invoke(args=["pki", "init"])
    assert second.exit_code == 0 and "kept" in second.output
    assert (directory / "root.crt.pem").read_bytes() == root_before


def test_flask_init_creates_the_pki_when_missing(app, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "created PKI" in result.output
    assert load_instance_pki(app.instance_path, app.config).tsa_certificate is not None
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0 and "kept PKI" in again.output


def test_loader_is_cached_per_process_and_refuses_without_pki(pki_app, app) -> None:  # type: ignore[no-untyped-def]
    first = load_instance_pki(pki_app.instance_path, pki_app.config)
    assert load_instance_pki(pki_app.instance_path, pki_app.config) is first
    with pytest.raises(PkiMissing) as missing:
        load_instance_pki(Path(app.instance_path) / "elsewhere", app.config)
    assert missing.value.http_status == 503


def test_a_wrong_configured_secret_cannot_open_the_keys(pki_app) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PkiError, match="cannot be opened"):
        load_instance_pki(pki_app.instance_path, {"PKI_SECRET": "not-the-secret"})


def test_root_export(pki_app, pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "root.pem"
    result = pki_app.test_cli_runner().invoke(args=["pki", "root", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_root_pem(pki)
    assert x509.load_pem_x509_certificate(out.read_bytes()) == pki.root_certificate


def test_root_export_without_pki_is_one_line_and_exit_2(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["pki", "root", str(tmp_path / "root.pem")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "flask pki init" in result.output


def test_timestamper_choice(pki) -> None:  # type: ignore[no-untyped-def]
    local = timestamper_for({}, pki)
    assert isinstance(local, LocalTimeStamper) and timestamper_for({"TSA_URL": ""}, pki) is local
    external = timestamper_for({"TSA_URL": "http://tsa.example.test/tsa", "TSA_TIMEOUT": 3}, pki)
    assert isinstance(external, ExternalTimeStamper)
    assert external.url == "http://tsa.example.test/tsa" and external.timeout == 3


def test_pki_init_also_makes_the_bureau_seal(app, runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.agreements.seal import seal_certificate_path

    result = runner.invoke(args=["pki", "init"])
    assert result.exit_code == 0, result.output
    pki = load_instance_pki(app.instance_path, app.config)
    assert seal_certificate_path(pki).is_file()


def test_reads_never_create_keys(app) -> None:  # type: ignore[no-untyped-def]
    """Before `flask pki init` every read raises PkiMissing and leaves the instance folder as it was."""
    from responsibility.agreements.certification import certification_for_issue
    from responsibility.extensions import db
    from responsibility.instance import instance_of

    context = instance_of(app)
    with app.app_context():
        assert certification_for_issue(db.session, context) is None
        for read in (lambda: context.pki, lambda: context.trust(db.session), lambda: context.seal(db.session)):
            with pytest.raises(PkiMissing, match="flask pki init"):
                read()
    assert not instance_pki_dir(app.instance_path).exists()


def test_a_pki_without_its_seal_is_refused_not_completed(app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.pki.instance import ensure_instance_pki

    pki, _ = ensure_instance_pki(app.instance_path, app.config, county_name="县", bureau_name="局")
    with app.app_context(), pytest.raises(PkiMissing, match="no bureau seal"):
        instance_of(app).seal(db.session)
    assert sorted(p.name for p in Path(pki.directory).glob("seal*")) == []


def test_the_web_says_the_pki_is_missing_in_the_readers_language(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    chinese = client.get("/pki/root.pem")
    assert chinese.status_code == 503 and "尚未初始化电子签名" in chinese.get_data(as_text=True)
    english = client.get("/pki/root.pem?lang=en")
    assert english.status_code == 503 and "flask pki init" in english.get_data(as_text=True)
