"""Reading courses from files: validation with file:line messages, Markdown
rendered and sanitised once, and immutable objects for the in-memory catalogue.

Pure code (no Flask, no database). The format is documented in courses/README.md.
A course with any problem is not loaded at all.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from app.core.content import (  # noqa: F401  (SLUG … are re-exported for other loaders)
    SLUG,
    LineDict,
    Problem,
    Where,
    content_hash,
    ignored,
    parse_yaml,
    split_front_matter,
)
from app.core.content import is_slug as _slug
from app.core.content import text as _text
from app.core.markdown import TocEntry, render, render_inline
from app.quizzes.question_types import QUESTION_TYPES, Option, Question

LEVELS = ("introductory", "intermediate", "advanced")
MEDIA_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"}
COURSE_KEYS = {"title", "summary", "version", "languages", "level", "audience",
               "estimated_hours", "topics", "pass_mark", "valid_for_days", "objectives",
               "modules"}
COURSE_TEXT_KEYS = {"title", "summary", "audience", "objectives", "modules"}
QUIZ_KEYS = {"title", "pass_mark", "max_attempts", "shuffle", "questions"}
QUESTION_KEYS = {"id", "type", "prompt", "explanation", "objective", "options", "answer",
                 "scoring", "tolerance", "unit"}
FRONT_MATTER_KEYS = {"title", "minutes", "objectives", "takeaways", "sources"}
FINAL = "final"
# Words that appear in course URLs, so they cannot be module slugs.
RESERVED_MODULE_SLUGS = {FINAL, "quizzes", "media", "enrol", "resume", "handout", "handouts"}


# --- the catalogue's objects ---------------------------------------------------------

@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    definition_html: str


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True)
class Lesson:
    course_slug: str
    module_slug: str
    slug: str
    language: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    takeaways: tuple[str, ...]
    sources: tuple[Source, ...]
    html: str
    toc: tuple[TocEntry, ...]
    terms: tuple[GlossaryEntry, ...]
    words: int

    @property
    def key(self) -> str:
        return f"{self.module_slug}/{self.slug}"


@dataclass(frozen=True)
class Quiz:
    course_slug: str
    slug: str                       # the module slug, or "final"
    module_slug: str | None
    language: str
    title: str
    pass_mark: float
    max_attempts: int | None
    shuffle: bool
    questions: tuple[Question, ...]
    content_hash: str

    @property
    def is_final(self) -> bool:
        return self.slug == FINAL

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    lessons: tuple[Lesson, ...]
    quiz: Quiz | None

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)


@dataclass(frozen=True)
class Edition:
    """A course as learners read it in one language (missing files fall back)."""

    language: str
    title: str
    summary: str
    audience: str
    objectives: tuple[Objective, ...]
    modules: tuple[Module, ...]
    final: Quiz | None
    glossary: tuple[GlossaryEntry, ...]

    @cached_property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for m in self.modules for lesson in m.lessons)

    @cached_property
    def _lesson_index(self) -> dict[str, int]:
        return {lesson.key: i for i, lesson in enumerate(self.lessons)}

    def lesson(self, key: str) -> Lesson | None:
        i = self._lesson_index.get(key)
        return None if i is None else self.lessons[i]

    def neighbours(self, key: str) -> tuple[Lesson | None, Lesson | None]:
        i = self._lesson_index[key]
        return (self.lessons[i - 1] if i > 0 else None,
                self.lessons[i + 1] if i + 1 < len(self.lessons) else None)

    def module(self, slug: str) -> Module | None:
        return next((m for m in self.modules if m.slug == slug), None)

    @cached_property
    def quizzes(self) -> tuple[Quiz, ...]:
        checks = tuple(m.quiz for m in self.modules if m.quiz)
        return checks + ((self.final,) if self.final else ())

    def quiz(self, slug: str) -> Quiz | None:
        return next((q for q in self.quizzes if q.slug == slug), None)

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)


@dataclass(frozen=True)
class Course:
    slug: str
    version: str
    content_hash: str
    default_language: str
    languages: tuple[str, ...]          # declared complete translations
    level: str
    estimated_hours: float
    topics: tuple[str, ...]
    pass_mark: float
    valid_for_days: int | None
    folder: Path
    media_files: frozenset[str]
    editions: dict[str, Edition] = field(hash=False)

    def edition(self, language: str | None) -> Edition:
        return self.editions.get(language or "", self.editions[self.default_language])

    @property
    def default(self) -> Edition:
        return self.editions[self.default_language]

    @cached_property
    def lesson_keys(self) -> tuple[str, ...]:
        return tuple(lesson.key for lesson in self.default.lessons)

    @cached_property
    def required_quizzes(self) -> tuple[str, ...]:
        """Quizzes that must be passed to complete the course."""
        return tuple(q.slug for q in self.default.quizzes)

    def search_text(self) -> str:
        parts = [self.slug, *self.topics]
        for e in {id(e): e for e in self.editions.values()}.values():
            parts += [e.title, e.summary, e.audience] + [m.title for m in e.modules]
        return " ".join(parts).casefold()


# --- loading -------------------------------------------------------------------------

class CourseLoader:
    """Loads one course folder. Call ``load()``; read ``problems`` afterwards."""

    def __init__(self, folder: Path, languages: tuple[str, ...], media_url: str | None = None):
        self.folder = folder
        self.slug = folder.name
        self.supported = tuple(languages)
        self.media_url = media_url
        self.problems: list[Problem] = []

    # helpers
    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.folder.parent))

    def _where(self, path: Path, offset: int = 0) -> Where:
        return Where(self.problems, self._rel(path), offset)

    def _variant(self, path: Path, lang: str) -> Path:
        return path.with_name(f"{path.stem}.{lang}{path.suffix}")

    def _read(self, path: Path) -> str | None:
        try:
            # utf-8-sig: a byte-order mark (added by some Windows editors) is not text.
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self._where(path).add(0, "the file is not UTF-8 text")
        except OSError as err:
            self._where(path).add(0, f"cannot be read: {err.strerror}")
        return None

    def _yaml_file(self, path: Path):
        text = self._read(path)
        return None if text is None else parse_yaml(text, self._where(path))

    # entry point
    def load(self) -> Course | None:
        if not SLUG.match(self.slug):
            self.problems.append(Problem(self.slug, 0, "the folder name must be a slug "
                                                       "(lower-case letters, digits, hyphens)"))
            return None
        course_file = self.folder / "course.yaml"
        if not course_file.exists():
            self._where(course_file).add(0, "missing course.yaml")
            return None
        meta = self._yaml_file(course_file)
        if not isinstance(meta, LineDict):
            if not self.problems:
                self._where(course_file).add(1, "course.yaml must be a mapping of keys")
            return None
        base = self._course_meta(meta, self._where(course_file))
        if base is None:
            return None
        self._listed_lessons = {m["slug"]: tuple(m["lessons"]) for m in base["modules"]}
        self._check_files()
        default_lang = base["languages"][0]
        self.media_files = self._media()
        editions = {default_lang: self._edition(base, default_lang, None)}
        default = editions[default_lang]
        for lang in self.supported:
            if lang != default_lang and self._has_variants(lang):
                editions[lang] = self._edition(base, lang, default)
        for lang in base["languages"][1:]:
            self._check_complete(base, lang)
        if self.problems:
            return None
        for lang in self.supported:
            editions.setdefault(lang, default)
        return Course(
            slug=self.slug, version=str(base.get("version", "")),
            content_hash=content_hash(self.folder), default_language=default_lang,
            languages=tuple(base["languages"]), level=base["level"],
            estimated_hours=float(base["estimated_hours"]), topics=tuple(base["topics"]),
            pass_mark=float(base["pass_mark"]), valid_for_days=base.get("valid_for_days"),
            folder=self.folder, media_files=frozenset(self.media_files), editions=editions)

    # course.yaml
    def _course_meta(self, meta: LineDict, where: Where) -> LineDict | None:
        before = len(self.problems)
        for key in sorted(set(meta) - COURSE_KEYS, key=str):
            where.add(meta.line_of(key), f"unknown key {key!r}")
        for key in ("title", "summary", "audience"):
            if not _text(meta.get(key)):
                where.add(meta.line_of(key), f"{key!r} must be a non-empty text")
        if meta.get("level") not in LEVELS:
            where.add(meta.line_of("level"), f"'level' must be one of {', '.join(LEVELS)}")
        hours = meta.get("estimated_hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
            where.add(meta.line_of("estimated_hours"),
                      "'estimated_hours' must be a positive number")
        langs = meta.get("languages")
        if not isinstance(langs, list) or not langs or any(
                lang not in self.supported for lang in langs) or len(set(langs)) != len(langs):
            where.add(meta.line_of("languages"),
                      f"'languages' must list codes from {', '.join(self.supported)}, "
                      "default language first")
        topics = meta.get("topics", [])
        if not isinstance(topics, list) or not all(isinstance(t, str) and SLUG.match(t)
                                                   for t in topics):
            where.add(meta.line_of("topics"), "'topics' must be a list of slugs")
        _check_percent(meta, "pass_mark", where, required=True)
        days = meta.get("valid_for_days")
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
            where.add(meta.line_of("valid_for_days"), "'valid_for_days' must be a positive "
                                                      "whole number of days")
        self._check_objectives(meta, where)
        self._check_modules(meta, where)
        return meta if len(self.problems) == before else None

    def _check_objectives(self, meta, where):
        objectives = meta.get("objectives")
        if not isinstance(objectives, list) or not objectives:
            where.add(meta.line_of("objectives"), "'objectives' must be a non-empty list")
            return
        seen = set()
        for item in objectives:
            line = getattr(item, "line", meta.line_of("objectives"))
            if not isinstance(item, dict) or not _slug(item.get("id")) or not _text(
                    item.get("text")):
                where.add(line, "each objective needs an 'id' (a slug) and a 'text'")
            elif item["id"] in seen:
                where.add(line, f"objective id {item['id']!r} is used twice")
            else:
                seen.add(item["id"])

    def _check_modules(self, meta, where):
        modules = meta.get("modules")
        if not isinstance(modules, list) or not modules:
            where.add(meta.line_of("modules"), "'modules' must be a non-empty list")
            return
        seen = set()
        for module in modules:
            line = getattr(module, "line", meta.line_of("modules"))
            if not isinstance(module, dict):
                where.add(line, "each module must be a mapping with slug, title and lessons")
                continue
            for key in sorted(set(module) - {"slug", "title", "summary", "lessons"}, key=str):
                where.add(module.line_of(key), f"unknown module key {key!r}")
            slug = module.get("slug")
            if not _slug(slug):
                where.add(line, "each module needs a 'slug'")
                continue
            if slug in RESERVED_MODULE_SLUGS:
                where.add(line, f"{slug!r} is reserved and cannot be a module slug")
            if slug in seen:
                where.add(line, f"module slug {slug!r} is used twice")
            seen.add(slug)
            if not _text(module.get("title")):
                where.add(line, f"module {slug!r} needs a 'title'")
            lessons = module.get("lessons")
            if not isinstance(lessons, list) or not lessons or not all(
                    _slug(x) for x in lessons):
                where.add(module.line_of("lessons"),
                          f"module {slug!r} needs 'lessons': a list of lesson slugs")
            elif len(set(lessons)) != len(lessons):
                where.add(module.line_of("lessons"), f"module {slug!r} lists a lesson twice")

    # file inventory
    def _check_files(self) -> None:
        """Unknown languages and files that no part of course.yaml refers to."""
        for path in sorted(self.folder.rglob("*")):
            if not path.is_file() or ignored(path, self.folder) or path.name == "README.md":
                continue
            rel = path.relative_to(self.folder)
            if rel.parts[0] == "media":
                continue
            parts = path.name.split(".")
            if len(parts) == 3 and parts[1] not in self.supported:
                self._where(path).add(0, f"unknown language code {parts[1]!r} in the file name")
            elif len(parts) == 3 and not path.with_name(f"{parts[0]}.{parts[2]}").exists():
                # Otherwise ignored without a word (a French final exam with no final.yaml).
                self._where(path).add(0, "a language variant needs the default-language file "
                                         f"{parts[0]}.{parts[2]}")
            if rel.parts[0] == "modules" and path.suffix == ".md" and len(rel.parts) == 3:
                listed = self._listed_lessons.get(rel.parts[1], ())
                if parts[0] not in listed:
                    self._where(path).add(0, "this lesson is not listed in course.yaml")
            elif rel.parts[0] == "modules" and len(rel.parts) == 3 and parts[0] != "quiz":
                self._where(path).add(0, "unexpected file: a module folder holds lessons "
                                         "(.md) and quiz.yaml")
            if path.suffix not in (".md", ".yaml"):
                self._where(path).add(0, "unexpected file (lessons are .md, the rest .yaml; "
                                         "images go in media/)")

    def _media(self) -> set[str]:
        media = self.folder / "media"
        files = set()
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if not path.is_file():
                    continue
                if path.suffix.lower() not in MEDIA_TYPES:
                    self._where(path).add(0, "media files must be svg, png, jpg, webp or gif")
                    continue
                if path.suffix.lower() == ".svg" and re.search(
                        rb"<script|\son\w+\s*=|javascript:", path.read_bytes(), re.I):
                    self._where(path).add(0, "SVG images must not contain scripts")
                    continue
                files.add(str(path.relative_to(media)))
        return files

    def _has_variants(self, lang: str) -> bool:
        return any(p.name.split(".")[-2:-1] == [lang] for p in self.folder.rglob(f"*.{lang}.*")
                   if not ignored(p, self.folder))

    def _check_complete(self, base, lang: str) -> None:
        """A declared language must have every text file."""
        needed = [self.folder / "course.yaml", self.folder / "glossary.yaml",
                  self.folder / "final.yaml"]
        for module in base["modules"]:
            folder = self.folder / "modules" / module["slug"]
            needed += [folder / f"{lesson}.md" for lesson in module["lessons"]]
            needed.append(folder / "quiz.yaml")
        for path in needed:
            if path.exists() and not self._variant(path, lang).exists():
                self._where(self._variant(path, lang)).add(
                    0, f"missing: course.yaml declares {lang!r} as a complete language")

    # editions
    def _edition(self, base: LineDict, lang: str, default: Edition | None) -> Edition:
        texts = self._course_texts(base, lang) if default else {}
        glossary = self._glossary(lang, default)
        gloss_terms = {g.id: g.term for g in glossary}
        objective_ids = [o["id"] for o in base["objectives"]]
        obj_texts = texts.get("objectives", {})
        mod_texts = texts.get("modules", {})
        modules = []
        for i, module in enumerate(base["modules"]):
            slug = module["slug"]
            translated = mod_texts.get(slug, {}) if isinstance(mod_texts, dict) else {}
            fallback = default.modules[i] if default else None
            lessons = tuple(
                self._lesson(slug, name, lang, gloss_terms, {g.id: g for g in glossary},
                             fallback.lessons[j] if fallback else None)
                for j, name in enumerate(module["lessons"]))
            quiz_path = self.folder / "modules" / slug / "quiz.yaml"
            quiz = self._quiz(quiz_path, slug, lang, base, objective_ids,
                              fallback.quiz if fallback else None)
            modules.append(Module(
                slug=slug,
                title=_text(translated.get("title")) or (fallback.title if fallback
                                                         else module["title"]),
                summary=_text(translated.get("summary")) or (
                    fallback.summary if fallback else _text(module.get("summary"))),
                lessons=lessons, quiz=quiz))
        final = self._quiz(self.folder / "final.yaml", FINAL, lang, base, objective_ids,
                           default.final if default else None)
        objectives = tuple(
            Objective(o["id"], _text(obj_texts.get(o["id"])) or (
                default.objectives[k].text if default else o["text"]))
            for k, o in enumerate(base["objectives"]))
        pick = (lambda key: _text(texts.get(key)) or getattr(default, key)) if default else (
            lambda key: base[key])
        return Edition(language=lang, title=pick("title"), summary=pick("summary"),
                       audience=pick("audience"), objectives=objectives,
                       modules=tuple(modules), final=final, glossary=glossary)

    def _course_texts(self, base, lang: str) -> dict:
        path = self._variant(self.folder / "course.yaml", lang)
        if not path.exists():
            return {}
        data = self._yaml_file(path)
        if not isinstance(data, dict):
            self._where(path).add(1, "must be a mapping of translated texts")
            return {}
        where = self._where(path)
        for key in sorted(set(data) - COURSE_TEXT_KEYS, key=str):
            where.add(data.line_of(key), f"unknown key {key!r} (a language variant holds "
                                         "only title, summary, audience, objectives, modules)")
        known = {"objectives": [o["id"] for o in base["objectives"]],
                 "modules": [m["slug"] for m in base["modules"]]}
        for key in ("objectives", "modules"):
            if key in data and not isinstance(data[key], dict):
                where.add(data.line_of(key), f"{key!r} must map ids to translated texts")
                data[key] = {}
            unknown = sorted(set(data.get(key, {})) - set(known[key]), key=str)
            if unknown:
                where.add(data.line_of(key), f"{key!r}: ids not in course.yaml: "
                                             f"{', '.join(map(str, unknown))}")
        for slug, texts in data.get("modules", {}).items():
            if not isinstance(texts, dict):
                where.add(data["modules"].line_of(slug),
                          f"module {slug!r} must map title and summary to translated texts")
                data["modules"][slug] = {}
        return data

    def _glossary(self, lang: str, default: Edition | None) -> tuple[GlossaryEntry, ...]:
        path = self.folder / "glossary.yaml"
        if default:
            variant = self._variant(path, lang)
            if not variant.exists():
                return default.glossary
            path = variant
        elif not path.exists():
            return ()
        data = self._yaml_file(path)
        where = self._where(path)
        if data is None:
            return ()
        if not isinstance(data, list):
            where.add(1, "the glossary must be a list of {id, term, definition}")
            return ()
        entries, seen = [], set()
        for item in data:
            line = getattr(item, "line", 0)
            if not isinstance(item, dict) or not _slug(item.get("id")) or not _text(
                    item.get("term")) or not _text(item.get("definition")):
                where.add(line, "each glossary entry needs an 'id' (a slug), a 'term' "
                                "and a 'definition'")
                continue
            if item["id"] in seen:
                where.add(line, f"glossary id {item['id']!r} is defined twice")
                continue
            seen.add(item["id"])
            entries.append(GlossaryEntry(item["id"], item["term"].strip(),
                                         render_inline(item["definition"])))
        if default:
            missing = {g.id for g in default.glossary} - seen
            extra = seen - {g.id for g in default.glossary}
            if extra:
                where.add(0, f"ids not in the default glossary: {', '.join(sorted(extra))}")
            # Terms not yet translated fall back to the default language.
            entries += [g for g in default.glossary if g.id in missing]
        return tuple(entries)

    def _lesson(self, module: str, slug: str, lang: str, terms: dict, glossary: dict,
                fallback: Lesson | None) -> Lesson:
        path = self.folder / "modules" / module / f"{slug}.md"
        if fallback is not None:
            variant = self._variant(path, lang)
            if not variant.exists():
                return fallback
            path = variant
        where = self._where(path)
        if not path.exists():
            where.add(0, "missing: course.yaml lists this lesson")
            return Lesson(self.slug, module, slug, lang, slug, 1, (), (), (), "", (), (), 0)
        text = self._read(path) or ""
        meta, body, body_line = split_front_matter(text, where)
        meta = meta if isinstance(meta, LineDict) else LineDict()
        for key in sorted(set(meta) - FRONT_MATTER_KEYS, key=str):
            where.add(meta.line_of(key) + 1, f"unknown front matter key {key!r}")
        title = _text(meta.get("title"))
        if not title:
            where.add(2, "the front matter needs a 'title'")
        minutes = meta.get("minutes", fallback.minutes if fallback else None)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            where.add(meta.line_of("minutes") + 1, "'minutes' must be a positive whole number")
            minutes = 1
        lists = {}
        for key in ("objectives", "takeaways"):
            value = meta.get(key)
            if not isinstance(value, list) or not value or not all(_text(v) for v in value):
                where.add(meta.line_of(key) + 1, f"{key!r} must be a non-empty list of texts")
                value = []
            lists[key] = tuple(render_inline(v) for v in value)
        sources = []
        raw_sources = meta.get("sources")
        if not isinstance(raw_sources, list) or not raw_sources:
            where.add(meta.line_of("sources") + 1, "'sources' must be a non-empty list")
            raw_sources = []
        for item in raw_sources:
            line = getattr(item, "line", meta.line_of("sources")) + 1
            if not isinstance(item, dict) or not _text(item.get("title")):
                where.add(line, "each source needs a 'title' (and a 'url' where one exists)")
                continue
            url = str(item.get("url", "")).strip()
            if url and not re.match(r"^https?://\S+$", url):
                where.add(line, f"source url {url!r} must start with http:// or https://")
            sources.append(Source(item["title"].strip(), url))
        if not body.strip():
            where.add(body_line, "the lesson has no text after the front matter")
        media_url = f"{self.media_url}/{self.slug}/media" if self.media_url else None
        rendered = render(body, glossary=terms, media_url=media_url,
                          media_files=self.media_files)
        for line, message in rendered.problems:
            where.add(line + body_line - 1 if line else 0, message)
        return Lesson(course_slug=self.slug, module_slug=module, slug=slug, language=lang,
                      title=title or slug, minutes=minutes, objectives=lists["objectives"],
                      takeaways=lists["takeaways"], sources=tuple(sources), html=rendered.html,
                      toc=tuple(e for e in rendered.toc if e.level == 2),
                      terms=tuple(glossary[t] for t in rendered.terms if t in glossary),
                      words=rendered.words)

    def _quiz(self, path: Path, slug: str, lang: str, base, objective_ids,
              fallback: Quiz | None) -> Quiz | None:
        if fallback is not None:
            variant = self._variant(path, lang)
            if not variant.exists():
                return fallback
            path = variant
        elif not path.exists():
            return None
        text = self._read(path)
        problems_before = len(self.problems)
        data = None if text is None else parse_yaml(text, self._where(path))
        where = self._where(path)
        if data is None and len(self.problems) != problems_before:
            return None
        if not isinstance(data, LineDict):     # an empty file too: never a silent "no quiz"
            where.add(1, "a quiz must be a mapping with a 'questions' list")
            return None
        for key in sorted(set(data) - QUIZ_KEYS, key=str):
            where.add(data.line_of(key), f"unknown key {key!r}")
        pass_mark = data.get("pass_mark") if _check_percent(
            data, "pass_mark", where, required=False) else None
        attempts = data.get("max_attempts")
        if attempts is not None and (isinstance(attempts, bool) or not isinstance(
                attempts, int) or attempts < 1):
            where.add(data.line_of("max_attempts"), "'max_attempts' must be a positive whole "
                                                    "number")
            attempts = None
        if not isinstance(data.get("shuffle", True), bool):
            where.add(data.line_of("shuffle"), "'shuffle' must be true or false")
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            where.add(data.line_of("questions"), "'questions' must be a non-empty list")
            return None
        questions, seen = [], set()
        for raw in raw_questions:
            question = self._question(raw, objective_ids, where, seen)
            if question is not None:
                questions.append(question)
        questions = tuple(questions)
        if fallback is not None:
            questions = self._match_variant(questions, fallback, where)
            # Grading rules are not texts: a variant keeps the default file's.
            for key, mine, theirs in (("pass_mark", pass_mark, fallback.pass_mark),
                                      ("max_attempts", attempts, fallback.max_attempts)):
                if mine is not None and mine != theirs:
                    where.add(data.line_of(key), f"{key!r} must be the same as in the default "
                                                 "language file")
            pass_mark, attempts = fallback.pass_mark, fallback.max_attempts
        title = _text(data.get("title")) or (fallback.title if fallback else "")
        return Quiz(course_slug=self.slug, slug=slug, module_slug=None if slug == FINAL else slug,
                    language=lang, title=title,
                    pass_mark=float(pass_mark if pass_mark is not None else base["pass_mark"]),
                    max_attempts=attempts,
                    shuffle=bool(data.get("shuffle", True)), questions=questions,
                    content_hash=fallback.content_hash if fallback else hashlib.sha256(
                        (text or "").encode()).hexdigest()[:16])

    def _question(self, raw, objective_ids, where, seen) -> Question | None:
        line = getattr(raw, "line", 0)
        if not isinstance(raw, LineDict):
            where.add(line, "each question must be a mapping")
            return None
        problems_before = len(self.problems)
        for key in sorted(set(raw) - QUESTION_KEYS, key=str):
            where.add(raw.line_of(key), f"unknown question key {key!r}")
        qid = raw.get("id")
        if not _slug(qid):
            where.add(line, "each question needs an 'id' (a slug)")
            return None
        if qid in seen:
            where.add(raw.line_of("id"), f"question id {qid!r} is used twice")
        seen.add(qid)
        kind = QUESTION_TYPES.get(raw["type"]) if isinstance(raw.get("type"), str) else None
        if kind is None:
            where.add(raw.line_of("type"), f"question {qid!r}: 'type' must be one of "
                                           f"{', '.join(QUESTION_TYPES)}")
            return None
        for key in ("prompt", "explanation"):
            if not _text(raw.get(key)):
                where.add(raw.line_of(key), f"question {qid!r} has no {key!r}")
        if raw.get("objective") not in objective_ids:
            where.add(raw.line_of("objective"),
                      f"question {qid!r}: 'objective' must be one of the course objectives "
                      f"({', '.join(objective_ids)})")
        options = []
        if kind.has_options:
            raw_options = raw.get("options")
            if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= 8:
                where.add(raw.line_of("options"), f"question {qid!r} needs 2 to 8 'options'")
                raw_options = []
            for opt in raw_options:
                if not isinstance(opt, dict) or not _text(str(opt.get("id", ""))) or not _text(
                        opt.get("text")):
                    where.add(getattr(opt, "line", raw.line_of("options")),
                              f"question {qid!r}: each option needs an 'id' and a 'text'")
                    continue
                options.append(Option(str(opt["id"]), render_inline(opt["text"])))
            if len({o.id for o in options}) != len(options):
                where.add(raw.line_of("options"), f"question {qid!r}: option ids must be unique")
        elif "options" in raw:
            where.add(raw.line_of("options"), f"question {qid!r}: a {kind.name} question "
                                              "has no options")
        key, problems = kind.check(raw, [o.id for o in options])
        for message in problems:
            # Messages start with the key they are about ("answer …", "scoring …", "tolerance …").
            about = message.split(" ", 1)[0]
            where.add(raw.line_of(about if about in raw else "answer"),
                      f"question {qid!r}: {message}")
        if len(self.problems) != problems_before:
            return None
        return Question(id=qid, type=kind.name, objective=raw["objective"],
                        prompt_html=render_inline(raw["prompt"]),
                        explanation_html=render_inline(raw["explanation"]),
                        options=tuple(options), key=key, unit=_text(raw.get("unit")) or "",
                        line=line)

    def _match_variant(self, questions, fallback: Quiz, where) -> tuple[Question, ...]:
        """A translated quiz must ask the same questions with the same answers."""
        by_id = {q.id: q for q in questions}
        if [q.id for q in questions] != [q.id for q in fallback.questions]:
            where.add(0, "the questions (ids and order) must be the same as in the default "
                         "language file")
            return fallback.questions
        merged = []
        for base_q in fallback.questions:
            q = by_id[base_q.id]
            same_options = [o.id for o in q.options] == [o.id for o in base_q.options]
            key = dict(q.key)
            if q.type == "short_text" and q.type == base_q.type:
                key["accepted"] = sorted(set(key["accepted"]) | set(base_q.key["accepted"]))
                key["answer"] = q.key["answer"]
                same_key = True
            else:
                same_key = q.key == base_q.key
            if q.type != base_q.type or not same_options or not same_key or (
                    q.objective != base_q.objective):
                where.add(q.line, f"question {q.id!r} must have the same type, objective, "
                                  "option ids and answer as in the default language file")
                merged.append(base_q)
                continue
            merged.append(Question(id=q.id, type=q.type, objective=q.objective,
                                   prompt_html=q.prompt_html,
                                   explanation_html=q.explanation_html, options=q.options,
                                   key=key, unit=q.unit or base_q.unit, line=q.line))
        return tuple(merged)


def _check_percent(data: LineDict, key: str, where: Where, *, required: bool) -> bool:
    """Report an invalid percentage; True when the value can be used."""
    value = data.get(key)
    if value is None and not required:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        where.add(data.line_of(key), f"{key!r} must be a percentage between 1 and 100")
        return False
    return True


# --- the whole folder ----------------------------------------------------------------

@dataclass(frozen=True)
class Catalogue:
    courses: dict[str, Course]
    problems: tuple[Problem, ...]

    def get(self, slug: str) -> Course | None:
        return self.courses.get(slug)

    def __iter__(self):
        return iter(self.courses.values())


def course_folders(root: Path) -> list[Path]:
    if (root / "course.yaml").exists():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def load_catalogue(root: Path, languages: tuple[str, ...],
                   media_url: str | None = "/courses") -> Catalogue:
    """Load every course under ``root`` (or ``root`` itself if it is a course).
    Courses with problems are left out; their problems are returned."""
    courses, problems = {}, []
    for folder in course_folders(Path(root)):
        loader = CourseLoader(folder, tuple(languages), media_url)
        course = loader.load()
        problems += loader.problems
        if course is not None:
            courses[course.slug] = course
    ordered = dict(sorted(courses.items(), key=lambda item: item[1].default.title.casefold()))
    return Catalogue(ordered, tuple(problems))
