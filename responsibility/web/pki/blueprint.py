"""The ``pki`` blueprint object, in a module of its own so that the route modules can import
it without importing the package that imports them (no import cycle)."""

from flask import Blueprint

bp = Blueprint("pki", __name__, template_folder="../templates")
