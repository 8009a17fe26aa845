"""Verification benchmark: our verifier against bare pyHanko validation, and ``/api/verify`` under load.

On the same completed agreement (the project's renderer, certification + 4 approval signatures +
document timestamp), in the same run, interleaved round by round so machine noise hits all alike:
  * bare      — pyHanko alone: read the file, ``validate_pdf_signature`` / ``validate_pdf_timestamp``
                (diff analysis on) for every signature with one validation context (our root, our
                CRLs, revocation required, nothing fetched);
  * ours      — ``verify_pdf`` as the doors call it: in a worker process under a time limit, plus the
                structural checks, the embedded matrix, the registry rules (target: ≤ 1.25 × bare);
  * in-process— ``verify_pdf`` with ``Limits(isolate=False)`` (the rules without the worker hop).
Then the throughput of ``POST /api/verify`` on a threaded werkzeug server on 127.0.0.1 (SQLite
registry holding the agreement) with N client threads (http.client) for D seconds each, for the
registered file (every answer 200 and ``valid``; after the first, from the registry cache) and for
an unknown file (verified from scratch each time), and the ratio of the two.

    .venv/bin/python bench/verify_bench.py [--rounds N] [--clients 16] [--seconds 30]
"""

from __future__ import annotations

import argparse
import http.client
import io
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from asn1crypto import x509 as asn1_x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from fixtures.signed_agreement import SignedAgreement, build_signed_agreement  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402

from responsibility.verify import Limits, TrustConfig, shutdown_pool, verify_pdf  # noqa: E402


def bare_pyhanko(data: bytes, root: asn1_x509.Certificate, crls: list[bytes]) -> bool:
    context = ValidationContext(trust_roots=[root], crls=crls, allow_fetching=False, revocation_mode="require")
    reader = PdfFileReader(io.BytesIO(data))
    ok = True
    for sig in reader.embedded_signatures:
        if sig.sig_object_type == "/DocTimeStamp":
            ts = validate_pdf_timestamp(sig, validation_context=context)
            ok &= bool(ts.intact and ts.valid and ts.trusted)
        else:
            status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
            ok &= bool(status.bottom_line)
    return ok


def timing(signed: SignedAgreement, rounds: int) -> None:
    root = asn1_x509.Certificate.load(signed.kit.pki.root_certificate.public_bytes(serialization.Encoding.DER))
    trust = TrustConfig.build([signed.kit.pki.root_certificate], signed.kit.crls)
    registry = signed.registry()
    data = signed.final
    paths = {
        "bare": lambda: bare_pyhanko(data, root, signed.kit.crls),
        "ours": lambda: verify_pdf(data, trust=trust, registry=registry, limits=Limits()).verdict == "valid",
        "in-process": lambda: (
            verify_pdf(data, trust=trust, registry=registry, limits=Limits(isolate=False)).verdict == "valid"
        ),
    }
    for fn in paths.values():  # warm-up: imports, caches, every worker process
        for _ in range(4):
            assert fn()
    times: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, fn in paths.items():
            start = time.perf_counter()
            assert fn(), name
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"completed agreement: {len(data):,} bytes, 6 signatures (5 approval + document timestamp), {rounds} rounds")
    for name in paths:
        print(f"  {name:11s} median {med[name] * 1000:7.1f} ms   min {min(times[name]) * 1000:7.1f} ms")
    low = {name: min(values) for name, values in times.items()}
    print(f"  ratio ours / bare pyHanko:       {med['ours'] / med['bare']:.2f}x median, "
          f"{low['ours'] / low['bare']:.2f}x best   (target <= 1.25x)")  # fmt: skip
    print(f"  ratio in-process / bare pyHanko: {med['in-process'] / med['bare']:.2f}x median, "
          f"{low['in-process'] / low['bare']:.2f}x best")  # fmt: skip
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: medians suffer on a shared machine)")
    # CPU time of this process is immune to other processes' load: the fairest view of our overhead
    # (the isolated path's work happens in a worker process, so only the in-process path is timed so).
    cpu: dict[str, list[float]] = {"bare": [], "in-process": []}
    for _ in range(rounds):
        for name in cpu:
            start = time.process_time()
            assert paths[name](), name
            cpu[name].append(time.process_time() - start)
    cpu_med = {name: statistics.median(values) for name, values in cpu.items()}
    print(
        f"  CPU time: bare median {cpu_med['bare'] * 1000:.1f} ms, in-process median {cpu_med['in-process'] * 1000:.1f} ms"
        f" -> ratio {cpu_med['in-process'] / cpu_med['bare']:.2f}x   (target <= 1.25x)"
    )


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _load(port: int, pdf: bytes, clients: int, seconds: float, *, want: bytes | None) -> dict[str, float]:
    """``clients`` threads POSTing ``pdf`` for ``seconds``; an answer counts when it is 200 (and
    carries the verdict ``want`` when given)."""
    body, content_type = _multipart(pdf)
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        sent = 0
        while sent == 0 or time.monotonic() < deadline:  # at least one request each
            sent += 1
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/verify", body=body, headers={"Content-Type": content_type})
                response = conn.getresponse()
                payload = response.read().replace(b'":"', b'": "')
                good = response.status == 200 and (want is None or b'"verdict": "' + want + b'"' in payload)
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with lock:
                counts["ok" if good else "errors"] += 1
                latencies.append(time.perf_counter() - start)
        conn.close()

    workers = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "ok": counts["ok"],
        "errors": counts["errors"],
        "rate": counts["ok"] / elapsed,
        "median": statistics.median(latencies) if latencies else 0.0,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0,
    }


def throughput(signed: SignedAgreement, clients: int, seconds: float) -> None:
    """``POST /api/verify`` under load: the registered final file (served from the registry cache
    after its first verification) and an unknown file (the same bytes plus an appended comment:
    not a registered revision, so verified from scratch every time)."""
    from fixtures.verify_doors import install
    from flask_migrate import upgrade
    from support import make_app
    from werkzeug.serving import make_server

    from responsibility.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="verify-bench-"))
    app = make_app(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir / "instance", RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    install(app, signed)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_port
    print(
        f"POST /api/verify, {clients} clients for {seconds:.0f} s each on 127.0.0.1 (threaded werkzeug, SQLite registry):"
    )
    _load(port, signed.final, 1, 0.0, want=b"valid")  # one request: the registry cache knows the file
    results = {
        "registered": _load(port, signed.final, clients, seconds, want=b"valid"),
        "unknown": _load(port, signed.final + b"\n% not registered\n", clients, seconds, want=None),
    }
    server.shutdown()
    for name, r in results.items():
        print(
            f"  {name:10s} {r['rate']:7.1f} verifications/s  ({r['ok']:.0f} answers, {r['errors']:.0f} errors; "
            f"latency median {r['median'] * 1000:.0f} ms, p99 {r['p99'] * 1000:.0f} ms)"
        )
    unknown_rate = results["unknown"]["rate"]
    ratio = results["registered"]["rate"] / unknown_rate if unknown_rate else float("inf")
    print(f"  ratio registered (cached) / unknown: {ratio:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        signed = build_signed_agreement(Path(tmp) / "pki")
        timing(signed, args.rounds)
        throughput(signed, args.clients, args.seconds)
    shutdown_pool()


if __name__ == "__main__":
    main()
