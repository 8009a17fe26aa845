"""Building this app's settings and instance context once, and finding them again.

``create_app`` calls :func:`install_instance` after the configuration is complete; the web
(``web.context.instance``) and the CLI (``cli.context.instance``) reach the result through
:func:`instance_of`, and hand it to services as an argument. Code that changes ``app.config``
after the app was built (a test) calls :func:`install_instance` again: the settings are frozen.
No Flask import: the app is used only as the holder of ``config``, ``instance_path`` and
``extensions``.
"""

from __future__ import annotations

from typing import Any, Protocol

from .agreements.instance import InstanceContext
from .settings import Settings

__all__ = ["EXTENSION_KEY", "install_instance", "instance_of"]

EXTENSION_KEY = "responsibility"


class _App(Protocol):
    config: Any
    instance_path: str
    extensions: dict[str, Any]


def install_instance(app: _App) -> InstanceContext:
    """Build the frozen :class:`~responsibility.settings.Settings` from ``app.config`` and the
    instance folder, and the instance context around them; store it on the app."""
    context = InstanceContext(Settings.from_config(app.config, app.instance_path))
    app.extensions[EXTENSION_KEY] = context
    return context


def instance_of(app: _App) -> InstanceContext:
    """The context :func:`install_instance` stored on ``app``."""
    context = app.extensions.get(EXTENSION_KEY)
    if not isinstance(context, InstanceContext):
        raise RuntimeError("the app has no instance context: build it with create_app()")
    return context
