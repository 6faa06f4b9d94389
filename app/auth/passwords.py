"""Password rules (pure functions, no Flask)."""

import re

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128   # scrypt cost is fixed, but the strength estimator is not


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Return why ``password`` is not acceptable, or None when it is.

    At least 12 characters, and not common or easily guessed: zxcvbn's estimate
    must reach 3 of 4, which rejects the known common-password lists, keyboard
    walks, repeats and passwords built from the person's own name or e-mail.
    """
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    from zxcvbn import zxcvbn  # loads its word lists on first use

    inputs = [part.lower() for value in user_inputs if value
              for part in re.split(r"[\W_]+", value) if len(part) >= 3]
    if _mostly_personal(password, inputs):
        return _l("This password is too close to your name or e-mail address.")
    if zxcvbn(password, user_inputs=inputs)["score"] < 3:
        return _l("This password is too common or too easy to guess. "
                  "A phrase of four or more unrelated words works well.")
    return None


def _mostly_personal(password: str, parts: list[str]) -> bool:
    """True when, once the person's own name and e-mail parts are taken out,
    fewer than four letters are left ("AminaDiallo2026", "diallo.amina!")."""
    letters = re.sub(r"[^\w]|[\d_]", "", password.lower())
    for part in sorted(parts, key=len, reverse=True):
        letters = letters.replace(part, "")
    return bool(parts) and len(letters) < 4
