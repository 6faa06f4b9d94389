"""Writing generated files so that the database and the disk agree: files are
written atomically, and a file written inside a transaction (or savepoint)
that is rolled back is removed again."""

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

_KEY = "files_written"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_in_transaction(path: Path, data: bytes) -> None:
    """Write now; delete again if the enclosing transaction rolls back."""
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction()
    write_atomic(path, data)
    session.info.setdefault(_KEY, []).append((transaction, Path(path)))


def _inside(transaction, outer) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _keep(session):
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _remove(session, previous_transaction):
    kept = []
    for transaction, path in session.info.get(_KEY, []):
        if _inside(transaction, previous_transaction):
            path.unlink(missing_ok=True)
        else:
            kept.append((transaction, path))
    session.info[_KEY] = kept
