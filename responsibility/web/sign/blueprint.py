"""The ``sign`` blueprint object, in a module of its own so that the route modules can import
it without importing the package that imports them (no import cycle)."""

from flask import Blueprint

bp = Blueprint("sign", __name__, url_prefix="/sign", template_folder="../templates")
