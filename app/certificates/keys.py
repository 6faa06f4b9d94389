"""The Ed25519 keys that sign certificates.

By default the key pair lives in ``instance/keys/`` and is created once,
atomically, by whichever process needs it first (a file lock serialises
concurrent gunicorn workers; the key is never one per process). Operators can
instead provide the private key as a JWK in CERT_SIGNING_KEY. Retired keys
stay in the folder (or CERT_RETIRED_KEYS) so old certificates keep verifying,
and every public key is published at /.well-known/jwks.json with its kid.
"""

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from joserfc.jwk import OKPKey

ALG = "EdDSA"


@dataclass(frozen=True)
class KeyRing:
    active: OKPKey
    retired: tuple[OKPKey, ...]

    @property
    def kid(self) -> str:
        return self.active.kid

    def public_jwks(self) -> dict:
        keys = []
        for key in (self.active, *self.retired):
            public = key.as_dict(private=False)
            public.update({"kid": key.kid, "alg": ALG, "use": "sig"})
            keys.append(public)
        return {"keys": keys}

    def find(self, kid: str) -> OKPKey | None:
        return next((k for k in (self.active, *self.retired) if k.kid == kid), None)


def _with_kid(data: dict) -> OKPKey:
    key = OKPKey.import_key(data)
    if not key.kid:
        key = OKPKey.import_key({**data, "kid": key.thumbprint()})
    return key


def keys_dir() -> Path:
    return Path(current_app.config.get("CERT_KEYS_DIR") or Path(current_app.instance_path) /
                "keys")


def _load_from_config() -> KeyRing | None:
    configured = current_app.config.get("CERT_SIGNING_KEY")
    if not configured:
        return None
    active = _with_kid(json.loads(configured))
    retired = tuple(_with_kid(k) for k in json.loads(
        current_app.config.get("CERT_RETIRED_KEYS") or "[]"))
    return KeyRing(active, retired)


def _load_from_folder(folder: Path) -> KeyRing | None:
    active, retired = None, []
    for path in sorted(folder.glob("*.jwk.json")):
        data = json.loads(path.read_text())
        key = _with_kid(data["key"])
        if data.get("status") == "active" and active is None:
            active = key
        else:
            retired.append(key)
    return KeyRing(active, tuple(retired)) if active else None


def load_keys() -> KeyRing:
    """The key ring, creating the first key pair if there is none yet."""
    cache = current_app.extensions.setdefault("cert_keys", {})
    if "ring" in cache:
        return cache["ring"]
    ring = _load_from_config()
    if ring is None:
        folder = keys_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            ring = _load_from_folder(folder)
            if ring is None:
                _write_key(folder, OKPKey.generate_key("Ed25519"), "active")
                ring = _load_from_folder(folder)
    cache["ring"] = ring
    return ring


def _write_key(folder: Path, key: OKPKey, status: str) -> None:
    kid = key.thumbprint()
    data = {"status": status, "key": {**key.as_dict(private=True), "kid": kid}}
    path = folder / f"{kid}.jwk.json"
    tmp = folder / f".{kid}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def rotate() -> str:
    """Retire the active key (kept for verification) and create a new one."""
    if current_app.config.get("CERT_SIGNING_KEY"):
        raise RuntimeError("keys come from CERT_SIGNING_KEY: rotate them in your secret store")
    folder = keys_dir()
    ring = load_keys()
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _write_key(folder, ring.active, "retired")
        new = OKPKey.generate_key("Ed25519")
        _write_key(folder, new, "active")
    current_app.extensions.pop("cert_keys", None)
    return new.thumbprint()
