"""Domain errors raised by services, and the one place that turns them (and HTTP
errors) into friendly pages, or JSON under /api/ and for .json URLs."""

import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    default_message = _l("This request could not be completed.")

    def __init__(self, message=None, *, field=None):
        super().__init__(str(message or self.default_message))
        self.message = message or self.default_message
        self.field = field


class ValidationError(DomainError):
    status = 400
    default_message = _l("Some of the information given is not valid.")


class Forbidden(DomainError):
    status = 403
    default_message = _l("You do not have permission to do this.")


class NotFound(DomainError):
    status = 404
    default_message = _l("We could not find that page.")


class Conflict(DomainError):
    status = 409
    default_message = _l("Someone else changed this in the meantime.")


TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("File too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Service unavailable"),
}

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You do not have permission to see this page."),
    404: _l("We could not find that page. Check the address, or go back to the home page."),
    405: _l("This address does not accept that kind of request."),
    409: _l("Someone else changed this in the meantime. Reload the page and try again."),
    413: _l("The file or form you sent is too large."),
    429: _l("Too many attempts in a short time. Please wait a minute and try again."),
    500: _l("An unexpected error happened on our side. It has been logged; please try again."),
    503: _l("The service is temporarily unavailable. Please try again shortly."),
}


def wants_json() -> bool:
    path = request.path
    return path.startswith("/api/") or path.endswith(".json") or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(status: int, message=None):
    title = TITLES.get(status, TITLES[500])
    message = str(message or MESSAGES.get(status, MESSAGES[500]))
    if wants_json():
        body = jsonify({"error": str(title), "message": message, "status": status})
    else:
        body = render_template("errors/error.html", status=status, title=title, message=message)
    return make_response(body, status)


def register(app):
    from app.extensions import db

    @app.errorhandler(DomainError)
    def _domain(err):
        db.session.rollback()
        return error_response(err.status, err.message)

    @app.errorhandler(HTTPException)
    def _http(err):
        code = err.code or 500
        # CSRF failures and other 400s keep Flask-WTF's short description.
        message = MESSAGES.get(code)
        if code == 400 and getattr(err, "description", None) and "CSRF" in err.description:
            message = _l("Your form expired or was sent from another site. "
                         "Go back, reload the page and try again.")
        response = error_response(code, message)
        original = err.get_response().headers
        for header in ("Retry-After", "Allow"):
            if header in original:
                response.headers[header] = original[header]
        return response

    @app.errorhandler(OperationalError)
    def _database_busy(err):
        # SQLite (the laptop set-up) lets one writer at a time: tell the person
        # to try again rather than showing an error. Anything else is a 500.
        db.session.rollback()
        if "database is locked" in str(err.orig):
            response = error_response(503, _l("The platform is busy. Please try again in a "
                                              "moment."))
            response.headers["Retry-After"] = "2"
            return response
        log.exception("Database error on %s %s", request.method, request.path)
        return error_response(500)

    @app.errorhandler(Exception)
    def _unexpected(err):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_response(500)
