"""Security headers on every response, through Flask-Talisman.

The pages carry no inline script, no inline style and no ``on*=`` handler (the progress bars of
the signing board are SVG shapes, not ``style="width: …"``), so the Content-Security-Policy can
allow our own origin alone. The signing page previews the agreement PDF in a same-origin
``<iframe>``; the browser's PDF viewer is a plugin, hence ``object-src 'self'`` and
``frame-src 'self'``. ``frame-ancestors 'self'`` (with ``X-Frame-Options: SAMEORIGIN`` for old
browsers) lets only our own pages frame a response, which the preview needs.

TLS ends at the reverse proxy (README "Configuration"), so the app never redirects to HTTPS
(``force_https=False``). HSTS is sent exactly when the session cookie is ``Secure``: an
instance that serves plain HTTP (the development server, ``SESSION_COOKIE_SECURE = False``)
must not pin browsers to HTTPS. Talisman sends it only on requests that arrived over HTTPS or
with ``X-Forwarded-Proto: https`` from the proxy, as RFC 6797 wants.

The cookie settings stay ours (``config.Defaults``): Talisman is told to leave them alone, as
its defaults would force ``SESSION_COOKIE_SECURE`` on even for a plain-HTTP instance.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

__all__ = ["CONTENT_SECURITY_POLICY", "init_security_headers"]

SELF = "'self'"

CONTENT_SECURITY_POLICY = {
    "default-src": SELF,
    "img-src": SELF,
    "style-src": SELF,
    "script-src": SELF,
    "object-src": SELF,
    "frame-src": SELF,
    "frame-ancestors": SELF,
    "base-uri": SELF,
    "form-action": SELF,
}

HSTS_MAX_AGE = 365 * 24 * 3600


def init_security_headers(app: Flask) -> Talisman:
    """One Talisman per app (its settings live on the instance, so apps must not share one)."""
    talisman = Talisman(
        app,
        force_https=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="SAMEORIGIN",
        strict_transport_security=bool(app.config.get("SESSION_COOKIE_SECURE")),
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_include_subdomains=False,
        referrer_policy="same-origin",
        x_content_type_options=True,
        x_xss_protection=False,  # obsolete header; the CSP is the protection
        session_cookie_secure=False,  # never override the configured cookie flags…
        session_cookie_http_only=bool(app.config.get("SESSION_COOKIE_HTTPONLY", True)),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),  # …these are rewritten as given
    )
    app.extensions["talisman"] = talisman
    return talisman
