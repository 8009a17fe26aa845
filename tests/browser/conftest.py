"""Browser tests: Debian's Chromium driven by Playwright's sync API against a live server.

Playwright's own browser download does not work here, so the system ``chromium`` is launched by
path. Without it the tests skip with a notice, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    # Browser tests last: Playwright's session-wide sync API keeps an event loop running in the main
    # thread, and every later asyncio.run() (pyHanko's sync signing calls) would then fail.
    items.sort(key=lambda item: "tests/browser/" in str(item.path).replace(os.sep, "/"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        message = "Debian chromium is not installed (apt-get install chromium); browser tests cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: object

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_server(demo_app) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The demo county served on a free localhost port by a background thread, with CSRF
    protection on (as in production)."""
    demo_app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=demo_app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    refused: list[str] = []  # the CSP refusing an inline script or style breaks a page silently
    tab.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield tab
    context.close()
    assert refused == [], refused
