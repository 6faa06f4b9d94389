"""The Open Badges 3.0 credential: schema-valid, signed, tamper-evident."""

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from joserfc.jwk import OKPKey

from app.certificates import credential
from app.certificates.keys import KeyRing

STANDARDS = Path(__file__).resolve().parent.parent / "fixtures" / "standards"


def ring():
    key = OKPKey.generate_key("Ed25519")
    return KeyRing(OKPKey.import_key({**key.as_dict(private=True), "kid": key.thumbprint()}), ())


def sample(**overrides):
    values = dict(
        credential_id="https://academy.example.org/verify/K7QM-2XAD-9FHT-RW3B-P",
        issuer={"id": "https://academy.example.org/issuer", "type": ["Profile"],
                "name": "Migration Data Academy", "url": "https://academy.example.org/"},
        course_url="https://academy.example.org/courses/migration-statistics/",
        course_title="Migration statistics", course_description="A course.",
        criteria="Pass the final exam.", hours=14.0, language="en",
        identity_hash=credential.recipient_hash("A@Example.org", "salt1"), salt="salt1",
        valid_from=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        valid_until=datetime(2029, 11, 26, 10, 0, tzinfo=UTC), score=85.0,
        status_url="https://academy.example.org/verify/K7QM-2XAD-9FHT-RW3B-P.json")
    values.update(overrides)
    return credential.build(**values)


def test_unsigned_credential_validates_against_the_official_schema():
    schema = json.loads((STANDARDS / "ob_v3p0_achievementcredential.schema.json").read_text())
    jsonschema.validate(sample(), schema)
    jsonschema.validate(sample(valid_until=None, score=None), schema)


def test_recipient_is_a_salted_hash_not_the_address():
    cred = sample()
    text = json.dumps(cred)
    assert "a@example.org" not in text.lower()
    identity = cred["credentialSubject"]["identifier"][0]
    assert identity["hashed"] is True and identity["identityHash"].startswith("sha256$")
    assert credential.recipient_hash("a@example.org", "salt1") == identity["identityHash"]
    assert credential.recipient_hash("a@example.org", "salt2") != identity["identityHash"]


def test_sign_and_verify_round_trip():
    keys = ring()
    token = credential.sign(sample(), keys)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": keys.kid, "typ": "JWT"}
    verified = credential.verify(token, keys)
    assert verified.payload["jti"] == sample()["id"]
    assert verified.payload["iss"] == sample()["issuer"]["id"]
    assert verified.payload["nbf"] == int(datetime(2026, 11, 26, 10, tzinfo=UTC).timestamp())
    assert "exp" in verified.payload


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["name"] = "Something else"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_tampered_or_foreign_tokens_fail_with_a_reason():
    keys = ring()
    token = credential.sign(sample(), keys)
    with pytest.raises(credential.InvalidCredential, match="signature does not match"):
        credential.verify(_tamper(token), keys)
    with pytest.raises(credential.InvalidCredential, match="does not publish"):
        credential.verify(credential.sign(sample(), ring()), keys)
    with pytest.raises(credential.InvalidCredential, match="not a signed credential"):
        credential.verify("hello", keys)
