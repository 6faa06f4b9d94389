"""Personal data held by the accounts feature, declared in the privacy registry."""

from flask_babel import lazy_gettext as _l

from app.auth.models import new_session_token
from app.core import privacy
from app.core.db import utcnow


def _iso(value):
    return value.isoformat() if value else None


def export_account(user) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation,
        "country": user.country,
        "language": user.locale,
        "role": user.role,
        "created_at": _iso(user.created_at),
        "email_verified_at": _iso(user.email_verified_at),
        "privacy_consent_at": _iso(user.consent_at),
        "last_login_at": _iso(user.last_login_at),
    }


def erase_account(user) -> None:
    """The account row is kept as an anonymous stub so that records others rely
    on (issued certificates, cohort statistics) keep their integrity; everything
    that identifies the person is overwritten and sign-in becomes impossible."""
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.full_name = "Deleted user"
    user.organisation = None
    user.country = None
    user.password_hash = "!"  # noqa: S105  (matches no password)
    user.active = False
    user.email_verified_at = None
    user.last_login_at = None
    user.deleted_at = utcnow()
    user.session_token = new_session_token()


privacy.register(
    "account",
    description=_l("Your account: e-mail address, full name, organisation, country, "
                   "language, role, and when you registered, confirmed your address, "
                   "accepted the privacy notice and last signed in."),
    export=export_account,
    erase=erase_account,
    order=1000,   # last: other features may still need the account while erasing
)
