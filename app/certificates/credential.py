"""Open Badges 3.0 credentials (VC data model 2.0) signed as VC-JWT with Ed25519.

The JWT payload is the credential itself plus the registered claims that
mirror it (iss, jti, nbf, exp); the header carries alg EdDSA and the key's kid.
The recipient is identified only by a salted SHA-256 hash of their e-mail.
"""

import hashlib
import json
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from joserfc import jws
from joserfc.errors import JoseError

from app.certificates.keys import ALG, KeyRing

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def recipient_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(*, credential_id: str, issuer: dict, course_url: str, course_title: str,
          course_description: str, criteria: str, hours: float, language: str,
          identity_hash: str, salt: str, valid_from: datetime,
          valid_until: datetime | None, score: float | None, status_url: str) -> dict:
    """The unsigned OpenBadgeCredential (validates against the 1EdTech schema)."""
    credential = {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": _iso(valid_from),
        "name": course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                "identityHash": identity_hash, "salt": salt,
            }],
            "achievement": {
                "id": course_url,
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": course_title,
                "description": course_description,
                "criteria": {"narrative": criteria},
                "inLanguage": language,
            },
            "creditsEarned": hours,
        },
        "credentialStatus": {"id": status_url, "type": "1EdTechRevocationList"},
    }
    if score is not None:
        credential["credentialSubject"]["result"] = [{"type": ["Result"], "value": f"{score:g}"}]
    if valid_until is not None:
        credential["validUntil"] = _iso(valid_until)
    return credential


def sign(credential: dict, keys: KeyRing) -> str:
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
    }
    if "validUntil" in credential:
        claims["exp"] = int(datetime.fromisoformat(credential["validUntil"]).timestamp())
    payload = json.dumps({**credential, **claims}, ensure_ascii=False,
                         separators=(",", ":")).encode()
    header = {"alg": ALG, "kid": keys.kid, "typ": "JWT"}
    with warnings.catch_warnings():
        # RFC 9864 prefers "Ed25519"; "EdDSA" is what Open Badges verifiers expect today.
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, payload, keys.active, algorithms=[ALG])


class InvalidCredential(ValueError):
    """The token is malformed, signed by an unknown key, or its signature is wrong."""


@dataclass(frozen=True)
class Verified:
    header: dict
    payload: dict


def verify(token: str, keys: KeyRing) -> Verified:
    token = (token or "").strip()
    try:
        obj = jws.extract_compact(token.encode())
        header = obj.headers()
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidCredential("not a signed credential (JWT)") from exc
    if header.get("alg") != ALG:
        raise InvalidCredential(f"unexpected signature algorithm {header.get('alg')!r}")
    key = keys.find(header.get("kid", ""))
    if key is None:
        raise InvalidCredential("signed with a key this platform does not publish")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = jws.deserialize_compact(token, key, algorithms=[ALG])
    except (JoseError, ValueError) as exc:
        raise InvalidCredential("the signature does not match: the credential was altered "
                                "or not issued by this platform") from exc
    try:
        payload = json.loads(obj.payload)
    except ValueError as exc:
        raise InvalidCredential("the credential content is not readable") from exc
    return Verified(header, payload)
