"""Public certificate identifiers (pure functions).

80 random bits written as 16 Crockford base-32 characters plus one check
character (Luhn mod 32), shown in groups: ``K7QM-2XAD-9FHT-RW3B-P``. The
check character catches any single mistyped character and every swap of two
neighbours but "0"/"Z" before a lookup is made; the randomness makes identifiers
impossible to guess or enumerate.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"       # Crockford: no I, L, O, U
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Letters people confuse with digits are read the way Crockford recommends.
_READ_AS = {"I": "1", "L": "1", "O": "0"}
BODY_LENGTH = 16                                     # 16 x 5 bits = 80 bits
LENGTH = BODY_LENGTH + 1


def check_char(body: str) -> str:
    """Luhn mod N over the base-32 alphabet."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_id() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_char(body)


def normalise(text: str) -> str:
    """The canonical form of a typed or scanned identifier; ValueError if malformed."""
    cleaned = "".join(_READ_AS.get(c, c) for c in (text or "").upper() if c not in "- \t")
    if len(cleaned) != LENGTH or any(c not in _VALUE for c in cleaned):
        raise ValueError("not a certificate identifier")
    if check_char(cleaned[:-1]) != cleaned[-1]:
        raise ValueError("the check character does not match")
    return cleaned


def grouped(public_id: str) -> str:
    return "-".join(public_id[i:i + 4] for i in range(0, len(public_id), 4))
