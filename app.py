"""Entry point for `flask` and WSGI servers: ``app = create_app()``."""

from responsibility import create_app

app = create_app()
