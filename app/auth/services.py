"""Accounts: registration, e-mail verification, sign-in, password reset,
profile, roles and account erasure. Services flush, the caller commits."""

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import User, new_session_token
from app.auth.passwords import password_problem
from app.core import audit, mail, permissions
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.i18n import COUNTRY_CODES
from app.core.urls import external_url
from app.extensions import db

# Spent on unknown e-mails too, so a failed sign-in takes the same time either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-for-timing")


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_fingerprint(email: str) -> str:
    """A short keyed hash of an e-mail address for the audit log (no plain address)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:16]


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound()
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_new_password(password: str, user_inputs=()) -> None:
    problem = password_problem(password, user_inputs=tuple(user_inputs))
    if problem:
        raise ValidationError(problem, field="password")


def _check_profile(full_name: str, country: str | None, locale: str) -> None:
    if not full_name.strip():
        raise ValidationError(_l("Enter your full name."), field="full_name")
    if country and country not in COUNTRY_CODES:
        raise ValidationError(_l("Choose a country from the list."), field="country")
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_l("Choose a language from the list."), field="locale")


# --- registration and verification -------------------------------------------------

def register(*, email, full_name, organisation, country, locale, password, consent) -> User | None:
    """Create an unverified account and send the verification link.

    If the address is already registered, nothing is created and the owner of
    the address is told by e-mail instead, so the form never reveals which
    addresses have accounts.
    """
    if not consent:
        raise ValidationError(_l("Please accept the privacy notice to create an account."),
                              field="consent")
    email = normalise_email(email)
    _check_profile(full_name, country, locale)
    check_new_password(password, (email, full_name))
    existing = find_by_email(email)
    if existing is not None:
        mail.send(existing.email, _l("Someone tried to register with your address"),
                  "auth/email/already_registered", locale=existing.locale,
                  login_url=_external("auth.login"), reset_url=_external("auth.forgot"))
        audit.record("auth.register_existing", subject=f"user:{existing.id}")
        return None
    now = utcnow()
    user = User(email=email, full_name=full_name.strip(), organisation=(organisation or None),
                country=country or None, locale=locale, consent_at=now,
                password_hash=_hash(password))
    db.session.add(user)
    db.session.flush()
    audit.record("auth.register", actor=user, subject=f"user:{user.id}")
    send_verification(user)
    return user


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


_external = external_url


def verification_token(user: User) -> str:
    return _serializer("verify-email").dumps({"uid": user.id, "email": user.email})


def send_verification(user: User) -> None:
    link = _external("auth.verify", token=verification_token(user))
    mail.send(user.email, _l("Confirm your e-mail address"), "auth/email/verify",
              locale=user.locale, user=user, link=link)


def verify_email(token: str) -> User:
    try:
        data = _serializer("verify-email").loads(
            token, max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except SignatureExpired as exc:
        raise ValidationError(_l("This confirmation link has expired. "
                                 "Sign in to get a new one.")) from exc
    except BadSignature as exc:
        raise ValidationError(_l("This confirmation link is not valid.")) from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email") or user.deleted_at is not None:
        raise ValidationError(_l("This confirmation link is not valid."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("auth.verify_email", actor=user, subject=f"user:{user.id}")
    return user


# --- signing in ----------------------------------------------------------------------

class LoginFailed(ValidationError):
    default_message = _l("The e-mail address or password is not correct.")


class NotVerified(ValidationError):
    default_message = _l("Please confirm your e-mail address first. "
                         "We have sent you a new confirmation link.")


def authenticate(email: str, password: str) -> User:
    """Return the user, or raise LoginFailed with one message for every failure
    (unknown address, wrong password, deactivated account)."""
    user = find_by_email(email)
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if not ok or user is None or not user.is_active:
        audit.record("auth.login_failed", subject=f"user:{user.id}" if user else None,
                     email_hash=email_fingerprint(email))
        raise LoginFailed()
    if not user.is_verified:
        send_verification(user)
        raise NotVerified()
    user.last_login_at = utcnow()
    audit.record("auth.login", actor=user, subject=f"user:{user.id}")
    return user


def load_session_user(token: str) -> User | None:
    """Flask-Login loader: the cookie holds "<id>:<session token>"."""
    user_id, _, session_token = (token or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not hmac.compare_digest(
            user.session_token, session_token):
        return None
    return user


# --- password reset ------------------------------------------------------------------

def _password_fingerprint(user: User) -> str:
    # Part of the reset token: once the password changes, the link stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    return _serializer("reset-password").dumps(
        {"uid": user.id, "pw": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Send a reset link if the address has an active account; silent otherwise."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        audit.record("auth.reset_unknown", email_hash=email_fingerprint(email))
        return
    link = _external("auth.reset", token=reset_token(user))
    mail.send(user.email, _l("Reset your password"), "auth/email/reset",
              locale=user.locale, user=user, link=link)
    audit.record("auth.reset_requested", actor=user, subject=f"user:{user.id}")


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer("reset-password").loads(
            token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except SignatureExpired as exc:
        raise ValidationError(_l("This reset link has expired. Ask for a new one.")) from exc
    except BadSignature as exc:
        raise ValidationError(_l("This reset link is not valid. Ask for a new one.")) from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or not hmac.compare_digest(
            _password_fingerprint(user), str(data.get("pw", ""))):
        raise ValidationError(_l("This reset link has already been used or is no longer valid. "
                                 "Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    check_new_password(new_password, (user.email, user.full_name))
    _set_password(user, new_password)
    # Following the link proves the person reads this mailbox.
    user.email_verified_at = user.email_verified_at or utcnow()
    audit.record("auth.reset_done", actor=user, subject=f"user:{user.id}")
    return user


def _set_password(user: User, password: str) -> None:
    user.password_hash = _hash(password)
    user.session_token = new_session_token()


# --- profile -------------------------------------------------------------------------

def update_profile(user: User, *, full_name, organisation, country, locale) -> User:
    _check_profile(full_name, country, locale)
    user.full_name = full_name.strip()
    user.organisation = organisation or None
    user.country = country or None
    user.locale = locale
    return user


def change_password(user: User, current: str, new: str) -> User:
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationError(_l("Your current password is not correct."),
                              field="current_password")
    check_new_password(new, (user.email, user.full_name))
    _set_password(user, new)
    audit.record("auth.password_changed", actor=user, subject=f"user:{user.id}")
    return user


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale


# --- administration ------------------------------------------------------------------

@dataclass
class UserPage:
    users: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_users(actor, *, query: str = "", role: str | None = None,
                 page: int = 1, per_page: int = 25) -> UserPage:
    permissions.require(actor, "users.manage")
    stmt = select(User).where(User.deleted_at.is_(None))
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.email).like(like),
                              func.lower(User.full_name).like(like),
                              func.lower(User.organisation).like(like)))
    if role in permissions.ROLES:
        stmt = stmt.where(User.role == role)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = max(1, page)
    users = db.session.scalars(stmt.order_by(User.full_name, User.id)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return UserPage(list(users), total or 0, page, per_page)


def set_role(actor, user: User, role: str) -> User:
    """Change a role. Admins only; an admin cannot demote themself, so the
    platform always keeps at least the admin who is acting."""
    if actor is not None:
        permissions.require(actor, "users.manage")
    if role not in permissions.ROLES:
        raise ValidationError(_l("Unknown role."), field="role")
    if actor is not None and actor.id == user.id and role != "admin":
        raise Forbidden(_l("You cannot remove your own administrator role."))
    if user.role != role:
        audit.record("admin.role_changed", actor=actor, subject=f"user:{user.id}",
                     old=user.role, new=role)
        user.role = role
    return user


def set_active(actor, user: User, active: bool) -> User:
    permissions.require(actor, "users.manage")
    if actor.id == user.id:
        raise Forbidden(_l("You cannot deactivate your own account."))
    if user.active != active:
        user.active = active
        if not active:
            user.session_token = new_session_token()   # signs them out everywhere
        audit.record("admin.user_reactivated" if active else "admin.user_deactivated",
                     actor=actor, subject=f"user:{user.id}")
    return user


def create_user(*, email, full_name, password, role="learner", organisation=None,
                country=None, locale="en", verified=True, check_password=True) -> User:
    """Create an account directly (CLI, demo data). The same rules as sign-up apply."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise ValidationError(_l("An account with this e-mail address already exists."),
                              field="email")
    if role not in permissions.ROLES:
        raise ValidationError(_l("Unknown role."), field="role")
    _check_profile(full_name, country, locale)
    if check_password:
        check_new_password(password, (email, full_name))
    now = utcnow()
    user = User(email=email, full_name=full_name.strip(), organisation=organisation,
                country=country, locale=locale, role=role, consent_at=now,
                email_verified_at=now if verified else None,
                password_hash=_hash(password))
    db.session.add(user)
    db.session.flush()
    audit.record("admin.user_created", subject=f"user:{user.id}", role=role)
    return user


# --- personal data ----------------------------------------------------------------

def export_personal_data(user: User) -> dict:
    from app.core import privacy

    audit.record("privacy.export", actor=user, subject=f"user:{user.id}")
    return privacy.export_user(user)


def delete_account(user: User, password: str) -> None:
    """Erase the person's data through the privacy registry (see app/core/privacy.py)."""
    from app.core import privacy

    if not check_password_hash(user.password_hash, password or ""):
        raise ValidationError(_l("Your password is not correct."), field="password")
    if user.role == "admin" and db.session.scalar(
            select(func.count()).select_from(User).where(
                User.role == "admin", User.deleted_at.is_(None), User.active.is_(True))) <= 1:
        raise Forbidden(_l("You are the only administrator. Make someone else an "
                           "administrator before deleting your account."))
    user_id = user.id
    privacy.erase_user(user)
    audit.record("privacy.account_deleted", subject=f"user:{user_id}")
