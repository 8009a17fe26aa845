"""External signing with pyHanko's command line (issue 4, part 6): the principal downloads the
issued PDF, signs it with ``pyhanko sign addsig … pemder`` in a subprocess (their enrolled key and
certificate exported to PEM files), and uploads it through ``/sign/<id>/upload``.

The app is served on a localhost port (werkzeug ``make_server``) and its PKI is made with that
address as ``PUBLIC_BASE_URL``, so the CLI gets its RFC 3161 timestamp from the instance's
``POST /tsa`` and, with ``--with-validation-info``, fetches the county's CRLs from the
distribution points in the certificates (``/pki/crl/<ca>.crl``; the CLI has no option to embed
CRL files given offline).

What the gate accepts: ``--use-pades --timestamp-url …`` (PAdES B-T in one revision); the county
CRLs the gate requires are already in the file's DSS, embedded by the bureau seal's
certification. ``--with-validation-info`` writes its CRLs in a second, unsigned revision after
the signature (the CLI cannot place them in the signed revision), which ARCHITECTURE §4 refuses.
After the upload the other signers sign in the app and the final file stays valid with only the
county root; a wrong person's certificate and content modified after the CLI signed are refused
with a 422 and audited.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fixtures.instance_pki import BUREAU_NAME, COUNTY_NAME
from fixtures.signing_workflow import (
    PIN,
    TWO_HEADS,
    assert_all_valid_with_root_only,
    enrol_person,
    issue_schools,
    person,
    sign_as,
    signers_of,
    store_of,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from sqlalchemy import select
from support import DEMO_PASSWORD
from werkzeug.serving import make_server

from responsibility.models import Agreement, AuditEvent, SigningEnrolment, User
from responsibility.pki import open_private_key
from responsibility.pki.instance import ensure_instance_pki, load_instance_pki

#: pyhanko-cli is in requirements-dev.txt: next to the interpreter in the venv, else on PATH.
PYHANKO = Path(sys.executable).with_name("pyhanko")
FIELD = "sig_school_principal"


@pytest.fixture
def served(demo_app) -> Iterator[tuple[object, str]]:  # type: ignore[no-untyped-def]
    """(app, base URL): the demo app on a free localhost port, with a PKI whose certificates
    point their CRL distribution points at that port."""
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        pki, _ = ensure_instance_pki(
            demo_app.instance_path,
            {**demo_app.config, "PUBLIC_BASE_URL": base},
            county_name=COUNTY_NAME,
            bureau_name=BUREAU_NAME,
        )
        with demo_app.app_context():  # the seal, as `flask pki init` makes it (reads never do)
            from responsibility.agreements.seal import ensure_seal
            from responsibility.extensions import db

            ensure_seal(db.session, pki, demo_app.config, actor="test")
            db.session.commit()
            db.session.remove()
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, name="cli-signing-server", daemon=True)
    thread.start()
    try:
        yield demo_app, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def issued(served) -> tuple[int, dict[str, str]]:  # type: ignore[no-untyped-def]
    """(agreement id, {role: source id}) of SCH001's issued agreement; heads and chief enrolled,
    the principal and the party head able to log in."""
    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db

    app, _ = served
    with app.app_context():
        (agreement,) = issue_schools(app, db.session, [TWO_HEADS])
        people = signers_of(db.session, agreement)
        for who in (people.party_head, people.principal, people.chief):
            enrol_person(app, db.session, who)
        for who in (people.party_head, people.principal):
            user = db.session.scalars(select(User).where(User.username == who.source_id)).one()
            set_password(user, DEMO_PASSWORD, must_change=False)
        db.session.commit()
        ids = {"party_head": people.party_head.source_id, "principal": people.principal.source_id,
               "chief": people.chief.source_id}  # fmt: skip
        result = agreement.id, ids
        db.session.remove()
    return result


def _login(app, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username
    return client


def _pem_files(app, source_id: str, directory: Path) -> tuple[Path, Path, Path, Path]:  # type: ignore[no-untyped-def]
    """(key, certificate, issuing CA, root CA) PEM files: the person's enrolled key opened with
    the PIN — what a signer would hand another tool."""
    from responsibility.extensions import db

    with app.app_context():
        enrolment = db.session.scalars(
            select(SigningEnrolment).where(SigningEnrolment.person_id == person(db.session, source_id).id)
        ).one()
        key = open_private_key(enrolment.sealed_key, PIN)
        cert_der = enrolment.certificate.der
        pki = load_instance_pki(app.instance_path, app.config)
        db.session.remove()
    files = tuple(directory / f"{source_id}.{name}.pem" for name in ("key", "crt", "issuing", "root"))
    files[0].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    files[1].write_bytes(x509.load_der_x509_certificate(cert_der).public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(pki.issuing_certificate.public_bytes(serialization.Encoding.PEM))
    files[3].write_bytes(pki.root_certificate.public_bytes(serialization.Encoding.PEM))
    return files  # type: ignore[return-value]


def cli_command(
    base: str, files: tuple[Path, Path, Path, Path], infile: Path, outfile: Path, *, validation_info: bool = False
) -> list[str]:
    """The exact ``pyhanko`` command line (the README quotes it). ``validation_info`` adds
    ``--with-validation-info`` and the trust options it needs (the CLI then fetches the CRLs)."""
    key, cert, issuing, root = files
    fetch = ["--with-validation-info", "--trust", str(root), "--trust-replace", "--other-certs", str(issuing)]
    return [
        str(PYHANKO) if PYHANKO.exists() else shutil.which("pyhanko") or "pyhanko",
        "sign", "addsig",
        "--field", FIELD,
        "--use-pades",
        "--timestamp-url", f"{base}/tsa",
        *(fetch if validation_info else []),
        "--reason", "同意并签署本责任书",
        "--location", "外部签名工具",
        "pemder", "--key", str(key), "--cert", str(cert), "--chain", str(issuing), "--no-pass",
        str(infile), str(outfile),
    ]  # fmt: skip


def _cli_sign(
    base: str, pdf: bytes, files: tuple[Path, Path, Path, Path], directory: Path, *, validation_info: bool = False
) -> bytes:
    infile, outfile = directory / "issued.pdf", directory / "signed.pdf"
    infile.write_bytes(pdf)
    outfile.unlink(missing_ok=True)
    command = cli_command(base, files, infile, outfile, validation_info=validation_info)
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return outfile.read_bytes()


def _revisions(pdf: bytes) -> int:
    return int(PdfFileReader(io.BytesIO(pdf)).xrefs.total_revisions)


def _dss_crls(pdf: bytes) -> set[bytes]:
    reader = PdfFileReader(io.BytesIO(pdf))
    if "/DSS" not in reader.root:
        return set()
    return {ref.get_object().data for ref in DocumentSecurityStore.read_dss(reader).crls}


def _upload(client, agreement_id: int, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/sign/{agreement_id}/upload",
        data={"file": (io.BytesIO(data), "signed.pdf")},
        content_type="multipart/form-data",
    )


def _count(app, action: str) -> int:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with app.app_context():
        found = len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())
        db.session.remove()
    return found


def test_a_cli_signed_upload_is_accepted_and_the_final_file_is_valid(served, issued, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app, base = served
    agreement_id, ids = issued
    client = _login(app, ids["principal"])
    current = client.get(f"/sign/{agreement_id}/pdf").data
    signed = _cli_sign(base, current, _pem_files(app, ids["principal"], tmp_path), tmp_path)
    # The CLI adds one revision (the signature, with its timestamp token) and no revocation data:
    # the county CRLs the gate requires are those the bureau seal's certification embedded.
    assert _revisions(signed) == _revisions(current) + 1
    assert _dss_crls(signed) == _dss_crls(current) != set()

    response = _upload(client, agreement_id, signed)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(f"/sign/{agreement_id}/pdf").data == signed

    from responsibility.extensions import db

    with app.app_context():
        session = db.session
        row = session.get(Agreement, agreement_id)
        last = row.revisions[-1]
        assert (last.kind, last.field_name, row.pdf_sha256) == ("signed", FIELD, last.sha256)
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "agreement.signed")).all()[-1]
        assert event.data["external"] is True and event.data["person"] == ids["principal"]
        # The remaining signers sign in the app; the CLI's signature stays valid to the end.
        sign_as(app, session, agreement_id, person(session, ids["party_head"]))
        sign_as(app, session, agreement_id, person(session, ids["chief"]))
        row = session.get(Agreement, agreement_id)
        final = store_of(app).read(row.pdf_sha256)
        root_der = load_instance_pki(app.instance_path, app.config).root_certificate.public_bytes(
            serialization.Encoding.DER
        )
        session.remove()
    names = assert_all_valid_with_root_only(final, root_der)
    assert FIELD in names and "sig_school_party_head" in names


def test_cli_signed_uploads_of_the_wrong_person_or_modified_are_refused(served, issued, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app, base = served
    agreement_id, ids = issued
    client = _login(app, ids["principal"])
    current = client.get(f"/sign/{agreement_id}/pdf").data

    other_dir = tmp_path / "party_head"
    other_dir.mkdir()
    wrong_person = _cli_sign(base, current, _pem_files(app, ids["party_head"], other_dir), other_dir)
    response = _upload(client, agreement_id, wrong_person)
    assert response.status_code == 422 and "不是用签署人在本系统登记的证书签署的" in response.get_data(as_text=True)

    good = _cli_sign(base, current, _pem_files(app, ids["principal"], tmp_path), tmp_path)
    middle = len(current) // 2
    modified = good[:middle] + bytes([good[middle] ^ 0x01]) + good[middle + 1 :]
    response = _upload(client, agreement_id, modified)
    assert response.status_code == 422 and "最后一个已接受的版本" in response.get_data(as_text=True)

    assert _count(app, "agreement.upload_rejected") == 2
    from responsibility.extensions import db

    with app.app_context():
        assert len(db.session.get(Agreement, agreement_id).revisions) == 2
        db.session.remove()
    # The unmodified CLI output is still accepted: the refusals were about the person and the bytes.
    assert _upload(client, agreement_id, good).status_code == 302


def test_the_cli_with_validation_info_appends_an_unsigned_revision_and_is_refused(served, issued, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``--with-validation-info`` makes the CLI write the fetched CRLs in a DSS update *after* the
    signature (pyHanko's default placement without a document timestamp; the CLI has no option
    to put them in the signed revision). ARCHITECTURE §4 refuses any unsigned revision after the
    last signature; cut back to the end of what the signature covers, the same file is accepted."""
    app, base = served
    agreement_id, ids = issued
    client = _login(app, ids["principal"])
    current = client.get(f"/sign/{agreement_id}/pdf").data
    signed = _cli_sign(base, current, _pem_files(app, ids["principal"], tmp_path), tmp_path, validation_info=True)
    assert _revisions(signed) == _revisions(current) + 2
    newest = PdfFileReader(io.BytesIO(signed)).embedded_signatures[-1]
    assert newest.field_name == FIELD
    covered = newest.byte_range[2] + newest.byte_range[3]
    assert covered < len(signed) and b"/DSS" in signed[covered:]

    response = _upload(client, agreement_id, signed)
    assert response.status_code == 422 and "没有覆盖整个文件" in response.get_data(as_text=True)
    assert _count(app, "agreement.upload_rejected") == 1

    response = _upload(client, agreement_id, signed[:covered])
    assert response.status_code == 302, response.get_data(as_text=True)
    from responsibility.extensions import db

    with app.app_context():
        row = db.session.get(Agreement, agreement_id)
        assert [r.kind for r in row.revisions] == ["generated", "certified", "signed"]
        assert store_of(app).read(row.pdf_sha256) == signed[:covered]
        db.session.remove()
