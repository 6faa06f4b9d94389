"""Content as code, shared by courses/ and assessments/: YAML with line
numbers, problems reported as ``file:line: message``, front matter, and the
content hash that identifies a version. Pure code (no Flask, no database)."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else (
            f"{self.path}: {self.message}")


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "keys must be plain words", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Where:
    """Collects problems for one file, offsetting line numbers when needed."""

    def __init__(self, problems: list[Problem], path: str, offset: int = 0):
        self.problems, self.path, self.offset = problems, path, offset

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset if line else 0, message))


def parse_yaml(text: str, where: Where):
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506  (SafeLoader subclass)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where.add(mark.line + 1 if mark else 0, f"not valid YAML: {err.problem or err}")
    except yaml.YAMLError as err:
        where.add(0, f"not valid YAML: {err}")
    return None


def split_front_matter(text: str, where: Where) -> tuple[object, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        where.add(1, "a lesson must start with a front matter block between '---' lines")
        return None, text, 1
    end = text.find("\n---\n", 4)
    if end < 0:
        where.add(1, "the front matter block is not closed with a '---' line")
        return None, "", 1
    meta = parse_yaml(text[4:end + 1], Where(where.problems, where.path, 1))
    body_start = text.count("\n", 0, end + 5) + 1
    return meta, text[end + 5:], body_start


def text(value) -> str:
    """A non-empty, stripped string, or "" for anything else."""
    return value.strip() if isinstance(value, str) and value.strip() else ""


def is_slug(value) -> bool:
    return isinstance(value, str) and bool(SLUG.match(value))


def content_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not ignored(p, folder)):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def ignored(path: Path, folder: Path) -> bool:
    return any(part.startswith(("_", ".")) for part in path.relative_to(folder).parts)
