"""Reading self-assessment frameworks from files: validation with file:line
messages, texts rendered once, immutable objects for the in-memory library.

Pure code (no Flask, no database). The format is documented in
assessments/README.md. A framework with any problem is not loaded at all.
Checking that ``courses:`` name existing course modules is injectable:
pass ``known_modules`` (a set of "course/module" paths), or None to skip it.
"""

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from app.assessments.constants import INSTITUTIONS, LEVELS
from app.core.content import LineDict, Problem, Where, content_hash, parse_yaml
from app.core.content import is_slug as _slug
from app.core.content import text as _text
from app.core.markdown import render_inline

FRAMEWORK_FILE = "framework.yaml"
FRAMEWORK_KEYS = {"title", "summary", "version", "languages", "scale", "domains"}
DOMAIN_KEYS = {"slug", "title", "summary", "weight", "institutions", "levels", "questions"}
QUESTION_KEYS = {"id", "text", "guidance", "weight", "gap_type", "references", "levels",
                 "improvement", "courses"}
VARIANT_KEYS = {"title", "summary", "scale", "domains"}
VARIANT_DOMAIN_KEYS = {"title", "summary", "levels", "questions"}
VARIANT_QUESTION_KEYS = {"text", "guidance", "levels", "improvement"}
GAP_TYPES = ("data", "reporting", "financial", "geographic", "capacity")
IMPROVEMENT_LEVELS = (0, 1, 2)
MODULE_PATH = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- the library's objects -------------------------------------------------------------

@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: str
    meaning: str


@dataclass(frozen=True)
class Question:
    id: str
    domain: str
    number: str                     # "3.2": domain 3, question 2
    text: str
    text_html: str
    guidance: str
    guidance_html: str
    weight: float
    gap_type: str | None
    references: tuple[str, ...]
    levels: tuple[str, ...]         # what levels 0–4 mean for this question
    own_levels: bool                # False: the domain's wording
    improvement: tuple[str, ...]    # actions at levels 0, 1, 2
    courses: tuple[str, ...]        # "course-slug/module-slug"


@dataclass(frozen=True)
class Domain:
    slug: str
    number: int
    title: str
    summary: str
    weight: float
    institutions: tuple[str, ...]
    levels: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Edition:
    """A framework's texts in one language (ids, weights and links are shared)."""

    language: str
    title: str
    summary: str
    scale: tuple[ScaleLevel, ...]
    domains: tuple[Domain, ...]

    @cached_property
    def _domain_index(self) -> dict[str, Domain]:
        return {d.slug: d for d in self.domains}

    @cached_property
    def _question_index(self) -> dict[str, Question]:
        return {q.id: q for d in self.domains for q in d.questions}

    def domain(self, slug: str) -> Domain | None:
        return self._domain_index.get(slug)

    def question(self, question_id: str) -> Question | None:
        return self._question_index.get(question_id)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._question_index.values())

    @cached_property
    def scale_labels(self) -> dict[int, str]:
        return {s.level: s.label for s in self.scale}


@dataclass(frozen=True)
class Framework:
    slug: str
    version: str
    content_hash: str
    default_language: str
    languages: tuple[str, ...]      # declared complete translations
    folder: Path
    editions: dict[str, Edition] = field(hash=False)

    def edition(self, language: str | None) -> Edition:
        return self.editions.get(language or "", self.editions[self.default_language])

    @property
    def default(self) -> Edition:
        return self.editions[self.default_language]

    @property
    def domains(self) -> tuple[Domain, ...]:
        return self.default.domains


@dataclass(frozen=True)
class Library:
    frameworks: dict[str, Framework]
    problems: tuple[Problem, ...]

    def get(self, slug: str) -> Framework | None:
        return self.frameworks.get(slug)

    def __iter__(self):
        return iter(self.frameworks.values())


# --- helpers -----------------------------------------------------------------------------

def _line(value, default: int) -> int:
    return getattr(value, "line", 0) or default


def _is_level_key(key) -> bool:
    return isinstance(key, int) and not isinstance(key, bool) and key in LEVELS


def _describe_level_key(key) -> str:
    return f"level {key!r} is outside 0–4" if not isinstance(key, int) or isinstance(
        key, bool) else f"level {key} is outside 0–4"


# --- loading one framework ----------------------------------------------------------------

class FrameworkLoader:
    """Loads one framework folder. Call ``load()``; read ``problems`` afterwards."""

    def __init__(self, folder: Path, languages: tuple[str, ...],
                 known_modules: set[str] | frozenset[str] | None = None):
        self.folder = Path(folder)
        self.slug = self.folder.name
        self.supported = tuple(languages)
        self.known_modules = known_modules
        self.problems: list[Problem] = []

    def _where(self, path: Path) -> Where:
        return Where(self.problems, str(path.relative_to(self.folder.parent)))

    def _yaml(self, path: Path):
        where = self._where(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            where.add(0, "the file is not UTF-8 text")
            return None
        except OSError as err:
            where.add(0, f"cannot be read: {err.strerror}")
            return None
        return parse_yaml(text, where)

    def load(self) -> Framework | None:
        if not _slug(self.slug):
            self.problems.append(Problem(self.slug, 0, "the folder name must be a slug "
                                                       "(lower-case letters, digits, hyphens)"))
            return None
        path = self.folder / FRAMEWORK_FILE
        if not path.exists():
            self._where(path).add(0, f"missing {FRAMEWORK_FILE}")
            return None
        data = self._yaml(path)
        where = self._where(path)
        if data is None:
            return None
        if not isinstance(data, LineDict):
            where.add(1, f"{FRAMEWORK_FILE} must be a mapping of keys")
            return None
        default = self._default(data, where)
        variant_files = self._variant_files()
        if default is None:
            return None
        languages = data["languages"]
        editions = {languages[0]: default}
        for lang, variant_path in variant_files.items():
            if lang == languages[0]:
                self._where(variant_path).add(0, "the default language has no variant file")
                continue
            edition = self._variant(variant_path, lang, default, complete=lang in languages)
            if edition is not None:
                editions[lang] = edition
        for lang in languages[1:]:
            if lang not in variant_files:
                where.add(data.line_of("languages"),
                          f"'languages' lists {lang!r} but framework.{lang}.yaml is missing")
        if self.problems:
            return None
        for lang in self.supported:
            editions.setdefault(lang, default)
        return Framework(slug=self.slug, version=data["version"].strip(),
                         content_hash=content_hash(self.folder), default_language=languages[0],
                         languages=tuple(languages), folder=self.folder, editions=editions)

    def _variant_files(self) -> dict[str, Path]:
        found = {}
        for path in sorted(self.folder.glob("framework.*.yaml")):
            lang = path.name.split(".")[1]
            if lang not in self.supported:
                self._where(path).add(0, f"unknown language code {lang!r} in the file name "
                                         f"(use one of {', '.join(self.supported)})")
            else:
                found[lang] = path
        return found

    # framework.yaml ----------------------------------------------------------------------
    def _default(self, data: LineDict, where: Where) -> Edition | None:
        before = len(self.problems)
        for key in sorted(set(data) - FRAMEWORK_KEYS, key=str):
            where.add(data.line_of(key), f"unknown key {key!r}")
        for key in ("title", "summary"):
            if not _text(data.get(key)):
                where.add(data.line_of(key), f"{key!r} must be a non-empty text")
        version = data.get("version")
        if not _text(version):
            where.add(data.line_of("version"), "'version' must be a non-empty text in quotes, "
                                               'e.g. "2026.1"')
        langs = data.get("languages")
        if not isinstance(langs, list) or not langs or any(
                lang not in self.supported for lang in langs) or len(set(langs)) != len(langs):
            where.add(data.line_of("languages"),
                      f"'languages' must list codes from {', '.join(self.supported)}, "
                      "default language first")
        scale = self._scale(data.get("scale"), data.line_of("scale"), where)
        domains = self._domains(data.get("domains"), data.line_of("domains"), where)
        if len(self.problems) != before or scale is None or domains is None:
            return None
        return Edition(language=langs[0], title=data["title"].strip(),
                       summary=data["summary"].strip(), scale=scale, domains=domains)

    def _scale(self, raw, line: int, where: Where) -> tuple[ScaleLevel, ...] | None:
        if not isinstance(raw, list) or len(raw) != len(LEVELS):
            where.add(line, "'scale' must list the five levels 0 to 4, in order, each with "
                            "'level', 'label' and 'meaning'")
            return None
        result = []
        for expected, item in zip(LEVELS, raw, strict=True):
            item_line = _line(item, line)
            if not isinstance(item, LineDict):
                where.add(item_line, "each scale entry must be a mapping with 'level', 'label' "
                                     "and 'meaning'")
                continue
            for key in sorted(set(item) - {"level", "label", "meaning"}, key=str):
                where.add(item.line_of(key), f"unknown scale key {key!r}")
            level = item.get("level")
            if not _is_level_key(level):
                where.add(item.line_of("level"), f"scale: {_describe_level_key(level)}")
            elif level != expected:
                where.add(item.line_of("level"), f"scale: expected level {expected} here "
                                                 "(levels 0–4 in order)")
            if not _text(item.get("label")) or not _text(item.get("meaning")):
                where.add(item_line, f"scale level {expected} needs a 'label' and a 'meaning'")
                continue
            result.append(ScaleLevel(expected, item["label"].strip(), item["meaning"].strip()))
        return tuple(result) if len(result) == len(LEVELS) else None

    def _levels(self, raw, line: int, where: Where, what: str,
                required: tuple[int, ...] = LEVELS, name: str = "levels") -> tuple[str, ...] | None:
        """A mapping {level: text}; every ``required`` level present, no other key."""
        if not isinstance(raw, LineDict):
            where.add(line, f"{what}: {name!r} must map each level "
                            f"{', '.join(map(str, required))} to a text")
            return None
        ok = True
        for key in raw:
            if not _is_level_key(key):
                where.add(raw.line_of(key), f"{what}: {_describe_level_key(key)}")
                ok = False
            elif key not in required:
                where.add(raw.line_of(key), f"{what}: {name!r} are only for levels "
                                            f"{', '.join(map(str, required))}")
                ok = False
            elif not _text(raw[key]):
                where.add(raw.line_of(key), f"{what}: the text for level {key} is empty")
                ok = False
        missing = [level for level in required if level not in raw]
        if missing:
            where.add(raw.line, f"{what}: {name!r} needs a text for level(s) "
                                f"{', '.join(map(str, missing))}")
            ok = False
        return tuple(raw[level].strip() for level in required) if ok else None

    def _weight(self, owner: LineDict, where: Where, what: str) -> float:
        value = owner.get("weight", 1)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            where.add(owner.line_of("weight"), f"{what}: 'weight' must be a positive number")
            return 1.0
        return float(value)

    def _domains(self, raw, line: int, where: Where) -> tuple[Domain, ...] | None:
        if not isinstance(raw, list) or not raw:
            where.add(line, "'domains' must be a non-empty list")
            return None
        domains, slugs, question_ids = [], set(), set()
        for number, item in enumerate(raw, start=1):
            domain = self._domain(item, number, line, where, slugs, question_ids)
            if domain is not None:
                domains.append(domain)
        return tuple(domains) if len(domains) == len(raw) else None

    def _domain(self, item, number: int, line: int, where: Where, slugs: set,
                question_ids: set) -> Domain | None:
        item_line = _line(item, line)
        if not isinstance(item, LineDict):
            where.add(item_line, "each domain must be a mapping with slug, title, levels and "
                                 "questions")
            return None
        before = len(self.problems)
        for key in sorted(set(item) - DOMAIN_KEYS, key=str):
            where.add(item.line_of(key), f"unknown domain key {key!r}")
        slug = item.get("slug")
        if not _slug(slug):
            where.add(item_line, "each domain needs a 'slug' (lower-case letters, digits, "
                                 "hyphens)")
            return None
        what = f"domain {slug!r}"
        if slug in slugs:
            where.add(item.line_of("slug"), f"domain slug {slug!r} is used twice")
        slugs.add(slug)
        for key in ("title", "summary"):
            if not _text(item.get(key)):
                where.add(item.line_of(key), f"{what} needs a {key!r}")
        weight = self._weight(item, where, what)
        institutions = item.get("institutions")
        if not isinstance(institutions, list) or not institutions or any(
                i not in INSTITUTIONS for i in institutions):
            where.add(item.line_of("institutions"),
                      f"{what}: 'institutions' must list who usually answers, from: "
                      f"{', '.join(INSTITUTIONS)}")
            institutions = []
        levels = self._levels(item.get("levels"), item.line_of("levels"), where, what)
        raw_questions = item.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            where.add(item.line_of("questions"), f"{what}: 'questions' must be a non-empty list")
            return None
        questions = []
        for q_number, raw_q in enumerate(raw_questions, start=1):
            question = self._question(raw_q, slug, f"{number}.{q_number}", levels,
                                      item.line_of("questions"), where, question_ids)
            if question is not None:
                questions.append(question)
        if len(self.problems) != before or levels is None:
            return None
        return Domain(slug=slug, number=number, title=item["title"].strip(),
                      summary=item["summary"].strip(), weight=weight,
                      institutions=tuple(dict.fromkeys(institutions)), levels=levels,
                      questions=tuple(questions))

    def _question(self, raw, domain: str, number: str, domain_levels, line: int, where: Where,
                  seen: set) -> Question | None:
        q_line = _line(raw, line)
        if not isinstance(raw, LineDict):
            where.add(q_line, "each question must be a mapping with id, text, guidance and "
                              "improvement")
            return None
        before = len(self.problems)
        for key in sorted(set(raw) - QUESTION_KEYS, key=str):
            where.add(raw.line_of(key), f"unknown question key {key!r}")
        qid = raw.get("id")
        if not _slug(qid):
            where.add(q_line, "each question needs an 'id' (lower-case letters, digits, hyphens)")
            return None
        what = f"question {qid!r}"
        if qid in seen:
            where.add(raw.line_of("id"), f"question id {qid!r} is used twice")
        seen.add(qid)
        for key in ("text", "guidance"):
            if not _text(raw.get(key)):
                where.add(raw.line_of(key), f"{what} needs a {key!r}")
        weight = self._weight(raw, where, what)
        gap_type = raw.get("gap_type")
        if gap_type is not None and gap_type not in GAP_TYPES:
            where.add(raw.line_of("gap_type"), f"{what}: 'gap_type' must be one of "
                                               f"{', '.join(GAP_TYPES)}")
        references = raw.get("references", [])
        if not isinstance(references, list) or not all(_text(r) for r in references):
            where.add(raw.line_of("references"), f"{what}: 'references' must be a list of texts")
            references = []
        own_levels = "levels" in raw
        levels = (self._levels(raw["levels"], raw.line_of("levels"), where, what)
                  if own_levels else domain_levels)
        improvement = self._levels(raw.get("improvement"), raw.line_of("improvement"), where,
                                   what, required=IMPROVEMENT_LEVELS, name="improvement")
        courses = raw.get("courses", [])
        if not isinstance(courses, list):
            where.add(raw.line_of("courses"), f"{what}: 'courses' must be a list of "
                                              "course-slug/module-slug paths")
            courses = []
        for path in courses:
            if not isinstance(path, str) or not MODULE_PATH.match(path):
                where.add(raw.line_of("courses"), f"{what}: {path!r} is not a "
                                                  "course-slug/module-slug path")
            elif self.known_modules is not None and path not in self.known_modules:
                where.add(raw.line_of("courses"), f"{what}: unknown course module {path!r} "
                                                  "(no such module in courses/)")
        if len(self.problems) != before or levels is None or improvement is None:
            return None
        return Question(id=qid, domain=domain, number=number, text=raw["text"].strip(),
                        text_html=render_inline(raw["text"].strip()),
                        guidance=raw["guidance"].strip(),
                        guidance_html=render_inline(raw["guidance"].strip()), weight=weight,
                        gap_type=gap_type, references=tuple(r.strip() for r in references),
                        levels=levels, own_levels=own_levels, improvement=improvement,
                        courses=tuple(dict.fromkeys(courses)))

    # framework.<lang>.yaml ------------------------------------------------------------------
    def _variant(self, path: Path, lang: str, base: Edition, *, complete: bool) -> Edition | None:
        data = self._yaml(path)
        where = self._where(path)
        if data is None:
            return None
        if not isinstance(data, LineDict):
            where.add(1, "a language file must be a mapping of keys")
            return None
        before = len(self.problems)

        def text(owner, key, fallback, what):
            value = owner.get(key) if isinstance(owner, dict) else None
            if value is None:
                if complete:
                    where.add(_line(owner, 1), f"missing {lang} text: {what}")
                return fallback
            if not _text(value):
                where.add(owner.line_of(key), f"{what} must be a non-empty text")
                return fallback
            return value.strip()

        def level_texts(owner, key, fallback, what, required=LEVELS):
            raw = owner.get(key) if isinstance(owner, dict) else None
            if raw is None:
                if complete:
                    where.add(_line(owner, 1), f"missing {lang} text: {what}")
                return fallback
            result = self._levels(raw, owner.line_of(key), where, what, required=required,
                                  name=key)
            return result if result is not None else fallback

        for key in sorted(set(data) - VARIANT_KEYS, key=str):
            where.add(data.line_of(key), f"unknown key {key!r}")
        scale = self._variant_scale(data, base, where, complete, lang)
        raw_domains = data.get("domains", LineDict())
        if not isinstance(raw_domains, LineDict):
            where.add(data.line_of("domains"), "'domains' must map each domain slug to its texts")
            raw_domains = LineDict()
        for slug in raw_domains:
            if base.domain(slug) is None:
                where.add(raw_domains.line_of(slug), f"unknown domain {slug!r} (not in "
                                                     f"{FRAMEWORK_FILE})")
        domains = []
        for domain in base.domains:
            raw_d = raw_domains.get(domain.slug)
            if raw_d is None:
                if complete:
                    where.add(raw_domains.line or data.line_of("domains"),
                              f"missing {lang} texts for domain {domain.slug!r}")
                domains.append(domain)
                continue
            what = f"domain {domain.slug!r}"
            if not isinstance(raw_d, LineDict):
                where.add(raw_domains.line_of(domain.slug), f"{what} must be a mapping of texts")
                continue
            for key in sorted(set(raw_d) - VARIANT_DOMAIN_KEYS, key=str):
                where.add(raw_d.line_of(key), f"unknown domain key {key!r}")
            raw_qs = raw_d.get("questions", LineDict())
            if not isinstance(raw_qs, LineDict):
                where.add(raw_d.line_of("questions"), f"{what}: 'questions' must map each "
                                                      "question id to its texts")
                raw_qs = LineDict()
            for qid in raw_qs:
                if qid not in {q.id for q in domain.questions}:
                    where.add(raw_qs.line_of(qid), f"{what}: unknown question {qid!r} (not in "
                                                   f"this domain in {FRAMEWORK_FILE})")
            domain_levels = level_texts(raw_d, "levels", domain.levels, f"{what} levels")
            questions = []
            for q in domain.questions:
                raw_q = raw_qs.get(q.id)
                q_what = f"question {q.id!r}"
                if raw_q is None:
                    if complete:
                        where.add(raw_qs.line or raw_d.line,
                                  f"missing {lang} texts for question {q.id!r}")
                    questions.append(q if q.own_levels else _with(q, levels=domain_levels))
                    continue
                if not isinstance(raw_q, LineDict):
                    where.add(raw_qs.line_of(q.id), f"{q_what} must be a mapping of texts")
                    continue
                for key in sorted(set(raw_q) - VARIANT_QUESTION_KEYS, key=str):
                    where.add(raw_q.line_of(key), f"unknown question key {key!r}")
                if "levels" in raw_q and not q.own_levels:
                    where.add(raw_q.line_of("levels"), f"{q_what} has no 'levels' of its own in "
                                                       f"{FRAMEWORK_FILE}")
                q_text = text(raw_q, "text", q.text, f"{q_what} text")
                guidance = text(raw_q, "guidance", q.guidance, f"{q_what} guidance")
                levels = (level_texts(raw_q, "levels", q.levels, f"{q_what} levels")
                          if q.own_levels else domain_levels)
                improvement = level_texts(raw_q, "improvement", q.improvement,
                                          f"{q_what} improvement", IMPROVEMENT_LEVELS)
                questions.append(_with(q, text=q_text, text_html=render_inline(q_text),
                                       guidance=guidance, guidance_html=render_inline(guidance),
                                       levels=levels, improvement=improvement))
            domains.append(_with(domain, title=text(raw_d, "title", domain.title,
                                                    f"{what} title"),
                                 summary=text(raw_d, "summary", domain.summary,
                                              f"{what} summary"),
                                 levels=domain_levels, questions=tuple(questions)))
        if len(self.problems) != before:
            return None
        return Edition(language=lang, title=text(data, "title", base.title, "title"),
                       summary=text(data, "summary", base.summary, "summary"), scale=scale,
                       domains=tuple(domains))

    def _variant_scale(self, data, base: Edition, where: Where, complete: bool,
                       lang: str) -> tuple[ScaleLevel, ...]:
        raw = data.get("scale")
        if raw is None:
            if complete:
                where.add(data.line, f"missing {lang} text: scale")
            return base.scale
        if not isinstance(raw, LineDict):
            where.add(data.line_of("scale"), "'scale' must map each level 0–4 to a "
                                             "'label' and a 'meaning'")
            return base.scale
        result = []
        for key in raw:
            if not _is_level_key(key):
                where.add(raw.line_of(key), f"scale: {_describe_level_key(key)}")
        for level in base.scale:
            item = raw.get(level.level)
            if item is None:
                if complete:
                    where.add(raw.line, f"missing {lang} text: scale level {level.level}")
                result.append(level)
                continue
            if not isinstance(item, LineDict) or not _text(item.get("label")) or not _text(
                    item.get("meaning")):
                where.add(raw.line_of(level.level), f"scale level {level.level} needs a "
                                                    "'label' and a 'meaning'")
                result.append(level)
                continue
            result.append(ScaleLevel(level.level, item["label"].strip(),
                                     item["meaning"].strip()))
        return tuple(result)


def _with(obj, **changes):
    return replace(obj, **changes)


# --- the whole folder ---------------------------------------------------------------------

def framework_folders(root: Path) -> list[Path]:
    root = Path(root)
    if (root / FRAMEWORK_FILE).exists():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def load_library(root: Path, languages, known_modules=None) -> Library:
    """Load every framework under ``root`` (or ``root`` itself if it is one).
    Frameworks with problems are left out; their problems are returned."""
    frameworks, problems = {}, []
    for folder in framework_folders(Path(root)):
        loader = FrameworkLoader(folder, tuple(languages), known_modules)
        framework = loader.load()
        problems += loader.problems
        if framework is not None:
            frameworks[framework.slug] = framework
    return Library(dict(sorted(frameworks.items())), tuple(problems))
