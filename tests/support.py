"""Constants and helpers shared by tests (import as ``from support import …``; ``tests/`` is on
``pythonpath``). Fixtures live in ``conftest.py``; this module holds what tests import by name."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
TEST_SECRET = "test-secret-key-not-for-production"
DEMO_PASSWORD = "demo-test-pass-2025"


def make_app(database_url: str, instance_path: Path, **overrides):  # type: ignore[no-untyped-def]
    from responsibility import create_app

    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    }
    config.update(overrides)
    return create_app(config=config, instance_path=instance_path)


def issue_and_wait(app, client, campaign_id: int, **form: str):  # type: ignore[no-untyped-def]
    """POST the campaign page's issue form and wait for its background issue job (the web issue
    runs in a thread since issue 14: a test must not read the result before the job ends)."""
    from responsibility.web.campaigns.routes import ISSUE_RUNNERS_KEY

    response = client.post(f"/campaigns/{campaign_id}/issue", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert app.extensions[ISSUE_RUNNERS_KEY][job_id].join(timeout=300)
    return response
