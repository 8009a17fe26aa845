"""Signing benchmark: our PAdES path against bare pyHanko calls and against the naive pyHanko path.

On the same documents, in the same run, interleaved round by round so machine noise hits all alike:
  * ours   — ``responsibility.signing`` (certify / sign / add_document_timestamp): ECDSA key object
             held for the request, fixed ``bytes_reserved``, one shared validation context, the
             in-process TSA, a CJK appearance rendered with the font registered once;
  * bare   — the same work with direct pyHanko calls (same signer, timestamper, validation
             context, metadata and a pre-rendered appearance): the floor our wrapper adds to
             (target: ours ≤ 1.2 × bare);
  * naive  — stock ``SimpleSigner.load`` with RSA keys re-read (and validated) for every signature,
             stock ``DummyTimeStamper``, a new validation context per signature, no
             ``bytes_reserved``, pyHanko's OpenType text stamp subsetting the CJK font every time.
Each signature embeds revocation data (B-LT) and an RFC 3161 timestamp in all three paths.
Per agreement: certification + 4 approval signatures + document timestamp. Then the throughput of
our per-agreement path with 1 and N processes.

    .venv/bin/python bench/sign_bench.py [--rounds N] [--processes N] [--documents N]
"""

from __future__ import annotations

import argparse
import io
import logging
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from asn1crypto import keys as asn1_keys  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from fixtures.pki import (  # noqa: E402
    BUREAU_FIELDS,
    DOC_TS,
    FONT_PATH,
    LOCATION,
    LOCKS,
    REASON,
    SCHOOL_FIELDS,
    SEAL,
    Kit,
    Person,
    make_agreement_pdf,
    make_kit,
    make_person,
)
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.text import TextBoxStyle  # noqa: E402
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter  # noqa: E402
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, PdfTimeStamper, SimpleSigner  # noqa: E402
from pyhanko.sign.signers.pdf_signer import (  # noqa: E402
    DSSContentSettings,
    SigDSSPlacementPreference,
    TimestampDSSContentSettings,
)
from pyhanko.sign.timestamps import DummyTimeStamper  # noqa: E402
from pyhanko.stamp import StaticStampStyle, TextStampStyle  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402

from responsibility.signing import add_document_timestamp, certify, sign  # noqa: E402
from responsibility.signing.appearance import _ImportedPdfBytes, render_stamp  # noqa: E402
from responsibility.signing.keys import to_asn1  # noqa: E402
from responsibility.signing.pades import BYTES_RESERVED, TIMESTAMP_BYTES_RESERVED  # noqa: E402

STEPS = [SEAL, *SCHOOL_FIELDS, *BUREAU_FIELDS]
DSS_SAME = DSSContentSettings(placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False)
TS_DSS = TimestampDSSContentSettings(update_before_ts=True, include_vri=False)


def _people(kit: Kit) -> dict[str, Person]:
    return {
        SEAL: kit.seal,
        SCHOOL_FIELDS[0]: kit.party_head,
        SCHOOL_FIELDS[1]: kit.principal,
        BUREAU_FIELDS[0]: kit.party_secretary,
        BUREAU_FIELDS[1]: kit.chief,
    }


# --- ours -------------------------------------------------------------------------------------


def ours_agreement(kit: Kit, people: dict[str, Person], pdf: bytes, times: list[float]) -> bytes:
    context = kit.context()
    signers = {field: person.signer(kit.pki) for field, person in people.items()}  # keys opened once
    for field in STEPS:
        start = time.perf_counter()
        if field == SEAL:
            pdf = certify(pdf, field=SEAL, signer=signers[SEAL], timestamper=kit.timestamper,
                          validation_context=context, appearance=people[SEAL].appearance(kit.font, seal=True),
                          locked_fields=LOCKS, reason=REASON, location=LOCATION)  # fmt: skip
        else:
            pdf = sign(pdf, field=field, signer=signers[field], timestamper=kit.timestamper,
                       validation_context=context, appearance=people[field].appearance(kit.font),
                       reason=REASON, location=LOCATION)  # fmt: skip
        times.append(time.perf_counter() - start)
    return add_document_timestamp(pdf, timestamper=kit.timestamper, validation_context=context, field=DOC_TS)


# --- bare pyHanko with the same settings --------------------------------------------------------


def _meta(field: str, context: ValidationContext, *, certify: bool) -> PdfSignatureMetadata:
    return PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", reason=REASON, location=LOCATION,
        subfilter=SigSeedSubFilter.PADES, embed_validation_info=True, validation_context=context,
        certify=certify, docmdp_permissions=MDPPerm.FILL_FORMS, dss_settings=DSS_SAME,
    )  # fmt: skip


def bare_agreement(
    kit: Kit, people: dict[str, Person], pdf: bytes, stamps: dict[str, bytes], times: list[float]
) -> bytes:
    context = kit.context()
    signers = {field: person.signer(kit.pki) for field, person in people.items()}
    for field in STEPS:
        start = time.perf_counter()
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
        style = StaticStampStyle(background=_ImportedPdfBytes(stamps[field]), border_width=0)
        signer = PdfSigner(_meta(field, context, certify=field == SEAL), signers[field],
                           timestamper=kit.timestamper, stamp_style=style)  # fmt: skip
        pdf = signer.sign_pdf(writer, existing_fields_only=True, bytes_reserved=BYTES_RESERVED).getvalue()
        times.append(time.perf_counter() - start)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    out = PdfTimeStamper(kit.timestamper, field_name=DOC_TS).timestamp_pdf(
        writer, "sha256", context, bytes_reserved=TIMESTAMP_BYTES_RESERVED, dss_settings=TS_DSS
    )
    return out.getvalue()


# --- naive ----------------------------------------------------------------------------------------


def _naive_files(kit: Kit, directory: Path) -> dict[str, tuple[Path, Path]]:
    """RSA people whose keys and certificates are files, re-read for each signature."""
    chain = []
    for name, cert in (("issuing", kit.pki.issuing_certificate), ("root", kit.pki.root_certificate)):
        path = directory / f"{name}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        chain.append(path)
    files = {}
    for field, person in _people(kit).items():
        rsa = make_person(
            kit.pki, person.name, person.posts, person.organisation, "N-" + field.replace("_", "-"), kind="rsa-2048"
        )
        key_path, cert_path = directory / f"{field}.key", directory / f"{field}.crt"
        key_path.write_bytes(rsa.key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip
        cert_path.write_bytes(rsa.certificate.public_bytes(serialization.Encoding.PEM))
        files[field] = (key_path, cert_path)
    files["chain"] = tuple(chain)  # type: ignore[assignment]
    return files


def naive_agreement(kit: Kit, files: dict, pdf: bytes, times: list[float]) -> bytes:  # type: ignore[type-arg]
    tsa_key = asn1_keys.PrivateKeyInfo.load(kit.pki.tsa_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip

    def context() -> ValidationContext:
        return ValidationContext(trust_roots=[to_asn1(kit.pki.root_certificate)], crls=kit.crls,
                                 allow_fetching=False, revocation_mode="require")  # fmt: skip

    for field in STEPS:
        start = time.perf_counter()
        key_path, cert_path = files[field]
        signer = SimpleSigner.load(str(key_path), str(cert_path), ca_chain_files=[str(p) for p in files["chain"]])
        stamper = DummyTimeStamper(to_asn1(kit.pki.tsa_certificate), tsa_key)
        style = TextStampStyle(stamp_text="%(signer)s\n%(ts)s",
                               text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(FONT_PATH))))  # fmt: skip
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
        pdf_signer = PdfSigner(_meta(field, context(), certify=field == SEAL), signer,
                               timestamper=stamper, stamp_style=style)  # fmt: skip
        pdf = pdf_signer.sign_pdf(writer, existing_fields_only=True).getvalue()
        times.append(time.perf_counter() - start)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    stamper = DummyTimeStamper(to_asn1(kit.pki.tsa_certificate), tsa_key)
    return (
        PdfTimeStamper(stamper, field_name=DOC_TS)
        .timestamp_pdf(writer, "sha256", context(), dss_settings=TS_DSS)
        .getvalue()
    )


# --- driver ---------------------------------------------------------------------------------------


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f} ms"


_worker_state: dict = {}  # type: ignore[type-arg]


def _worker_init(pki_dir: str) -> None:
    kit = make_kit(Path(pki_dir))
    _worker_state.update(kit=kit, people=_people(kit), pdf=make_agreement_pdf())


def _worker_agreement(_: int) -> int:
    return len(ours_agreement(_worker_state["kit"], _worker_state["people"], _worker_state["pdf"], []))


def throughput(pki_dir: Path, processes: int, documents: int) -> float:
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_worker_init, initargs=(str(pki_dir),)) as pool:
        pool.map(_worker_agreement, range(processes))  # warm up every worker
        start = time.perf_counter()
        pool.map(_worker_agreement, range(documents), chunksize=1)
        return documents / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--documents", type=int, default=24, help="agreements for the throughput run")
    args = parser.parse_args()
    # pyHanko warns on every signature that fetching is off; that is our policy, not news.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp:
        pki_dir = Path(tmp) / "pki"
        kit = make_kit(pki_dir)
        people = _people(kit)
        files = _naive_files(kit, Path(tmp))
        blank = make_agreement_pdf()
        from datetime import UTC, datetime

        stamps = {
            field: render_stamp(
                person.appearance(kit.font, seal=field == SEAL), when=datetime.now(UTC), width=230, height=75
            )
            for field, person in people.items()
        }
        # Warm-up: imports, font registration, first validation of each chain.
        ours_agreement(kit, people, blank, [])
        bare_agreement(kit, people, blank, stamps, [])
        naive_agreement(kit, files, blank, [])

        sig = {"ours": [], "bare": [], "naive": []}  # type: ignore[var-annotated]
        agreement = {"ours": [], "bare": [], "naive": []}  # type: ignore[var-annotated]
        for _ in range(args.rounds):
            agreement["bare"].append(_timed(lambda: bare_agreement(kit, people, blank, stamps, sig["bare"])))
            agreement["ours"].append(_timed(lambda: ours_agreement(kit, people, blank, sig["ours"])))
            agreement["naive"].append(_timed(lambda: naive_agreement(kit, files, blank, sig["naive"])))

        print(f"medians of {args.rounds} rounds; one agreement = certification + 4 signatures + document timestamp\n")
        print(f"{'':32}{'ours':>11}{'bare pyHanko':>14}{'naive':>11}")
        print(f"{'per signature':32}{_ms(sig['ours']):>11}{_ms(sig['bare']):>14}{_ms(sig['naive']):>11}")
        print(
            f"{'per agreement':32}{_ms(agreement['ours']):>11}{_ms(agreement['bare']):>14}{_ms(agreement['naive']):>11}"
        )
        ratio_sig = statistics.median(sig["ours"]) / statistics.median(sig["bare"])
        ratio_doc = statistics.median(agreement["ours"]) / statistics.median(agreement["bare"])
        naive_sig = statistics.median(sig["naive"]) / statistics.median(sig["ours"])
        naive_doc = statistics.median(agreement["naive"]) / statistics.median(agreement["ours"])
        verdict = "OK" if max(ratio_sig, ratio_doc) <= 1.2 else "ABOVE TARGET"
        print(
            f"\nours / bare pyHanko: {ratio_sig:.2f}x per signature, {ratio_doc:.2f}x per agreement (target <= 1.2x: {verdict})"
        )
        print(f"naive / ours:        {naive_sig:.2f}x per signature, {naive_doc:.2f}x per agreement")

        if args.documents > 0:
            one = throughput(pki_dir, 1, max(2, args.documents // 2))
            many = throughput(pki_dir, args.processes, args.documents)
            print(
                f"\nthroughput (ours, whole agreements): 1 process {one:.1f}/s, {args.processes} processes {many:.1f}/s"
            )


if __name__ == "__main__":
    main()
