"""Join codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
so that a code read aloud or copied from a slide is typed right. Pure functions."""

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str | None) -> str | None:
    """The canonical code for what someone typed ("abcd-efgh " -> "ABCDEFGH"),
    or None when it cannot be a code."""
    code = _SEPARATORS.sub("", (typed or "")).upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def grouped(code: str) -> str:
    """For display: "ABCD-EFGH"."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"
