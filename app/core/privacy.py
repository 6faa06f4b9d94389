"""The personal-data registry.

Each feature declares here what personal data it holds and how to export and
erase it. "Download my data" and "Delete my account" walk this registry, so
they stay complete as features are added; the privacy notice lists it too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.db import utcnow


@dataclass(frozen=True)
class PersonalDataSource:
    name: str                         # key in the export file, e.g. "account"
    description: Any                  # what is held and why (lazy, translated)
    export: Callable[[Any], Any]      # user -> JSON-serialisable data
    erase: Callable[[Any], None]      # user -> None; erases or anonymises, never commits
    order: int = 100                  # erase order: dependent records first, account last


_REGISTRY: dict[str, PersonalDataSource] = {}


def register(name: str, *, description, export, erase, order: int = 100) -> None:
    _REGISTRY[name] = PersonalDataSource(name, description, export, erase, order)


def sources() -> list[PersonalDataSource]:
    return sorted(_REGISTRY.values(), key=lambda s: s.order)


def export_user(user) -> dict:
    return {
        "exported_at": utcnow().isoformat(),
        "format": "migration-data-academy/personal-data/1",
        "data": {src.name: src.export(user) for src in sources()},
    }


def erase_user(user) -> list[str]:
    """Erase or anonymise everything the registry knows about ``user``."""
    done = []
    for src in sources():
        src.erase(user)
        done.append(src.name)
    return done
