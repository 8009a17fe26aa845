"""Bad input always gets a 4xx with a message, never a 500 or a traceback.

Every route of the app is requested by every kind of user with nonexistent ids, malformed
dates, garbage query strings and empty form posts. The rules are discovered from the URL map, so
a new route is covered without editing this test.
"""

from __future__ import annotations

import pytest
from support import DEMO_PASSWORD
from werkzeug.routing import Rule

USERS = [None, "admin", "auditor", "P00001", "P00027", "P00010", "P00047"]
GARBAGE_QUERIES = [
    "",
    "?at=2025-13-45&on=not-a-date&lang=xx&q=%00%ff&page=-1&campaign=999999",
    "?grid=NOPE&at=2026-01-15",
    "?school=SCH001&building=BLD0001&at=yesterday",
    "?person=P00027&at=1900-01-01",
]
ARGUMENT_VALUES = {"int": ["999999", "0"], "default": ["NOPE", "SCH001", "..%2f..%2fetc"]}
SKIP_ENDPOINTS = {"static", "auth.logout"}


def _urls(rule: Rule) -> list[str]:
    if not rule.arguments:
        return [rule.rule]
    urls = []
    for kind in ("int", "default"):
        for value in ARGUMENT_VALUES[kind]:
            path = rule.rule
            ok = True
            for arg in rule.arguments:
                converter = rule._converters[arg].__class__.__name__
                if (converter == "IntegerConverter") != (kind == "int"):
                    ok = False
                path = path.replace(f"<int:{arg}>", value).replace(f"<{arg}>", value).replace(f"<path:{arg}>", value)
            if ok:
                urls.append(path)
    return urls


def _login(client, username):  # type: ignore[no-untyped-def]
    if username is None:
        return
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303), f"demo login {username} failed"


@pytest.mark.parametrize("username", USERS)
def test_no_route_answers_500(demo_app, username):
    client = demo_app.test_client()
    _login(client, username)
    failures = []
    rules = [r for r in demo_app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS]
    for rule in rules:
        for url in _urls(rule):
            for query in GARBAGE_QUERIES:
                for method in sorted(rule.methods & {"GET", "POST"}):
                    if method == "POST" and query:
                        continue
                    response = client.open(url + query, method=method, data={})
                    body = response.get_data()
                    # 503 is the honest answer of the PKI-backed doors on an instance without a PKI
                    if response.status_code >= 500 and response.status_code != 503:
                        failures.append(f"{method} {url}{query} -> {response.status_code}")
                    elif b"Traceback (most recent call last)" in body:
                        failures.append(f"{method} {url}{query} -> traceback in body")
    assert failures == []


@pytest.mark.parametrize("url", ["/admin/users?q=%00x", "/org/schools?q=a%00", "/chain?school=SCH%00001"])
def test_nul_bytes_are_refused_with_400(demo_app, url):
    client = demo_app.test_client()
    _login(client, "admin")
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True) or "空字符" in response.get_data(as_text=True)
