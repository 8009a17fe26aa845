"""The ``auth`` blueprint object, in a module of its own so that the route modules can import
it without importing the package that imports them (no import cycle)."""

from flask import Blueprint

# Templates live in web/templates (auth/… and the shared base.html).
bp = Blueprint("auth", __name__, template_folder="../templates")
