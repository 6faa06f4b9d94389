"""The course loader and validator (app/courses/loader.py), proving that the
format documented in courses/README.md is what the code reads.

Every validation test copies the fixture course into tmp_path, applies one
edit and checks the exact file, line and message of the problem it causes,
and that the course is then not loaded at all."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.courses.loader import (
    Catalogue,
    CourseLoader,
    Problem,
    content_hash,
    load_catalogue,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "field-basics"
LANGS = ("en", "fr", "es", "ar")

C = "field-basics/course.yaml"
CF = "field-basics/course.fr.yaml"
G = "field-basics/glossary.yaml"
GF = "field-basics/glossary.fr.yaml"
F = "field-basics/final.yaml"
L = "field-basics/modules/sources/census.md"
LF = "field-basics/modules/counting/usual-residence.fr.md"
Q = "field-basics/modules/sources/quiz.yaml"
N = "field-basics/modules/counting/quiz.yaml"
NF = "field-basics/modules/counting/quiz.fr.yaml"

TYPES = "single_choice, multiple_choice, true_false, numeric, short_text"


# --- helpers ---------------------------------------------------------------------------

def copy_course(tmp_path: Path, name: str = "field-basics") -> Path:
    dest = tmp_path / "courses" / name
    shutil.copytree(FIXTURE, dest)
    return dest


def load(folder: Path):
    loader = CourseLoader(folder, LANGS)
    course = loader.load()
    return course, loader.problems


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    """An edit: replace the one occurrence of ``old`` in ``rel`` (relative to the course)."""
    def apply(folder: Path) -> None:
        path = folder / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return apply


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return apply


def append(rel: str, text: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return apply


def copy(src: str, dest: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        shutil.copy(folder / src, folder / dest)
    return apply


def remove(rel: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / rel).unlink()
    return apply


def broken(tmp_path: Path, edit: Callable[[Path], None]):
    folder = copy_course(tmp_path)
    edit(folder)
    return load(folder)


@pytest.fixture(scope="module")
def course():
    catalogue = load_catalogue(FIXTURE.parent, LANGS)
    assert catalogue.problems == ()
    return catalogue.get("field-basics")


# --- the fixture course ------------------------------------------------------------------

def test_fixture_course_structure(course):
    assert course.slug == "field-basics"
    assert course.version == "test-1"
    assert course.default_language == "en" and course.languages == ("en",)
    assert course.level == "introductory" and course.estimated_hours == 1.0
    assert course.topics == ("testing", "migration-statistics")
    assert course.pass_mark == 70.0 and course.valid_for_days == 365
    assert course.media_files == frozenset({"bars.svg"})
    assert len(course.content_hash) == 64

    en = course.default
    assert en.title == "Field basics: counting people who move"
    assert [(o.id, o.text) for o in en.objectives] == [
        ("counting", "Count people by where they usually live."),
        ("sources", "Name a data source and its main limit.")]
    assert [m.slug for m in en.modules] == ["counting", "sources"]
    assert en.modules[1].summary == ""            # optional
    assert course.lesson_keys == (
        "counting/usual-residence", "counting/stocks-and-flows", "sources/census")
    assert course.required_quizzes == ("counting", "sources", "final")
    assert en.modules[0].minutes == 18 and en.minutes == 30

    lesson = en.lesson("counting/usual-residence")
    assert lesson.title == "Usual residence" and lesson.minutes == 10
    assert lesson.objectives == ("Apply the 12-month rule.",)
    assert lesson.takeaways == ("A migrant changes country of usual residence.",)
    assert lesson.sources[0].url.endswith("SeriesM_58rev1E.pdf")
    assert [(e.id, e.title) for e in lesson.toc] == [
        ("the-rule", "The rule"), ("why-it-matters", "Why it matters")]
    assert [t.id for t in lesson.terms] == ["usual-residence"]
    assert '<img alt="A bar chart of two bars" loading="lazy" ' \
           'src="/courses/field-basics/media/bars.svg">' in lesson.html
    assert "<script" not in lesson.html and "alert" not in lesson.html
    assert lesson.words > 20
    assert en.neighbours("counting/stocks-and-flows") == (
        lesson, en.lesson("sources/census"))
    assert en.neighbours("counting/usual-residence")[0] is None
    assert en.lesson("sources/nope") is None and en.module("nope") is None

    check = en.quiz("sources")
    assert check.max_attempts == 2 and check.pass_mark == 70.0 and check.shuffle is True
    assert check.module_slug == "sources" and not check.is_final
    assert [q.id for q in check.questions] == ["core-topics", "name-source"]
    assert en.quiz("counting").title == "Knowledge check"
    assert en.final.is_final and en.final.max_attempts == 3 and en.final.module_slug is None
    assert en.quiz("nope") is None


def test_french_edition_falls_back_file_by_file(course):
    en, fr = course.default, course.edition("fr")
    assert fr.language == "fr"
    assert fr.title == "Notions de terrain : compter les personnes qui se déplacent"
    assert fr.summary == "Un tout petit cours pour les tests."
    assert fr.audience == en.audience                      # not translated: English
    assert [o.text for o in fr.objectives] == [
        "Compter les personnes selon leur lieu de résidence habituelle.",
        "Name a data source and its main limit."]
    # Module titles come from course.fr.yaml; untranslated ones and summaries fall back.
    assert [m.title for m in fr.modules] == ["Compter les personnes", "Data sources"]
    assert fr.modules[0].summary == "Stocks, flows and usual residence."

    translated = fr.lesson("counting/usual-residence")
    assert translated.language == "fr" and translated.title == "Résidence habituelle"
    assert 'id="la-règle"' in translated.html
    assert '<a class="term" href="#term-usual-residence"' in translated.html
    assert ">résidence habituelle</a>" in translated.html
    # A lesson without a French file is the English one, the very same object.
    assert fr.lesson("counting/stocks-and-flows") is en.lesson("counting/stocks-and-flows")
    assert fr.lesson("sources/census") is en.lesson("sources/census")

    # Glossary: translated entries, missing ones fall back to English.
    assert [(g.id, g.term) for g in fr.glossary] == [
        ("usual-residence", "résidence habituelle"), ("migrant-stock", "migrant stock")]

    quiz_fr, quiz_en = fr.quiz("counting"), en.quiz("counting")
    assert quiz_fr.language == "fr" and quiz_fr.title == "Contrôle des connaissances"
    assert quiz_fr.questions[0].prompt_html.startswith("Stock ou flux")
    assert [q.key for q in quiz_fr.questions] == [q.key for q in quiz_en.questions]
    assert quiz_fr.content_hash == quiz_en.content_hash
    assert quiz_fr.questions[2].unit == "pour 100 000"
    assert fr.quiz("sources") is en.quiz("sources") and fr.final is en.final

    # Languages without any file are the default edition; so is an unknown one.
    assert course.edition("es") is en and course.edition("ar") is en
    assert course.edition(None) is en and course.edition("de") is en
    assert "compter" in course.search_text() and "field basics" in course.search_text()


def test_content_hash_changes_when_a_file_changes(tmp_path):
    folder = copy_course(tmp_path)
    before = content_hash(folder)
    assert load(folder)[0].content_hash == before
    # Ignored folders (drafts) do not count.
    write("_drafts/idea.md", "not yet")(folder)
    assert content_hash(folder) == before
    append("modules/sources/census.md", "\nOne more sentence.\n")(folder)
    after = content_hash(folder)
    assert after != before
    assert load(folder)[0].content_hash == after
    # Renaming a file changes it too, even with the same bytes.
    (folder / "media" / "bars.svg").rename(folder / "media" / "bars2.svg")
    assert content_hash(folder) != after


def test_ignored_folders_and_readme_are_not_content(tmp_path):
    folder = copy_course(tmp_path)
    write("_drafts/broken.md", "no front matter")(folder)
    write("README.md", "Notes for authors.")(folder)
    write("../_template/course.yaml", "title: [unclosed")(folder)
    catalogue = load_catalogue(tmp_path / "courses", LANGS)
    assert catalogue.problems == ()
    assert list(catalogue.courses) == ["field-basics"]


def test_a_course_folder_can_be_loaded_on_its_own(tmp_path):
    folder = copy_course(tmp_path)
    catalogue = load_catalogue(folder, LANGS)
    assert isinstance(catalogue, Catalogue) and list(catalogue.courses) == ["field-basics"]
    assert [c.slug for c in catalogue] == ["field-basics"]


def test_a_course_with_any_problem_is_not_loaded_but_its_neighbour_is(tmp_path):
    copy_course(tmp_path, "good-course")
    bad = copy_course(tmp_path, "bad-course")
    # One small problem, deep inside a French quiz.
    replace("modules/counting/quiz.fr.yaml", "    answer: a\n", "    answer: b\n")(bad)
    catalogue = load_catalogue(tmp_path / "courses", LANGS)
    assert list(catalogue.courses) == ["good-course"]
    assert catalogue.get("bad-course") is None
    assert catalogue.problems == (Problem(
        "bad-course/modules/counting/quiz.fr.yaml", 4,
        "question 'stock-or-flow' must have the same type, objective, option ids and answer "
        "as in the default language file"),)
    assert str(catalogue.problems[0]).startswith("bad-course/modules/counting/quiz.fr.yaml:4: ")


def test_courses_are_listed_by_title(tmp_path):
    copy_course(tmp_path, "b-course")
    other = copy_course(tmp_path, "a-course")
    replace("course.yaml", 'title: "Field basics: counting people who move"',
            'title: "Zebra counting"')(other)
    catalogue = load_catalogue(tmp_path / "courses", LANGS)
    assert list(catalogue.courses) == ["b-course", "a-course"]


def test_folder_name_must_be_a_slug(tmp_path):
    course, problems = load(copy_course(tmp_path, "Field_Basics"))
    assert course is None
    assert problems == [Problem("Field_Basics", 0, "the folder name must be a slug "
                                                   "(lower-case letters, digits, hyphens)")]
    assert str(problems[0]).startswith("Field_Basics: the folder name")


def test_problem_text_is_file_colon_line():
    assert str(Problem("a/b.yaml", 3, "bad")) == "a/b.yaml:3: bad"
    assert str(Problem("a/b.yaml", 0, "bad")) == "a/b.yaml: bad"


# --- every validation error --------------------------------------------------------------

LESSON_MISSING_SOURCES = (
    "sources:\n  - title: UN census principles\n    url: https://unstats.un.org/\n")
FOUR_MORE_OPTIONS = "".join(f"      - {{id: o{i}, text: Option {i}}}\n" for i in range(5))

CASES = [
    # course.yaml
    ("bad-yaml", replace("course.yaml", "level: introductory", "level: introductory: x"),
     (C, 5, "not valid YAML: mapping values are not allowed here")),
    ("duplicate-key", replace("course.yaml", "level: introductory\n",
                              "level: introductory\nlevel: advanced\n"),
     (C, 6, "not valid YAML: the key 'level' appears twice")),
    ("not-a-mapping", write("course.yaml", "- title: x\n"),
     (C, 1, "course.yaml must be a mapping of keys")),
    ("empty-course-yaml", write("course.yaml", ""),
     (C, 1, "course.yaml must be a mapping of keys")),
    ("missing-course-yaml", remove("course.yaml"), (C, 0, "missing course.yaml")),
    ("unknown-key", replace("course.yaml", 'version: "test-1"\n',
                            'version: "test-1"\nauthor: Ana\n'),
     (C, 4, "unknown key 'author'")),
    ("missing-title", replace("course.yaml", 'title: "Field basics: counting people who move"\n',
                              ""),
     (C, 1, "'title' must be a non-empty text")),
    ("empty-summary", replace("course.yaml", "summary: A tiny course used by the test suite.",
                              'summary: "  "'),
     (C, 2, "'summary' must be a non-empty text")),
    ("audience-not-text", replace("course.yaml", "audience: People who run the test suite.",
                                  "audience: [people]"),
     (C, 6, "'audience' must be a non-empty text")),
    ("bad-level", replace("course.yaml", "level: introductory", "level: expert"),
     (C, 5, "'level' must be one of introductory, intermediate, advanced")),
    ("missing-level", replace("course.yaml", "level: introductory\n", ""),
     (C, 1, "'level' must be one of introductory, intermediate, advanced")),
    ("hours-zero", replace("course.yaml", "estimated_hours: 1", "estimated_hours: 0"),
     (C, 7, "'estimated_hours' must be a positive number")),
    ("hours-text", replace("course.yaml", "estimated_hours: 1", "estimated_hours: many"),
     (C, 7, "'estimated_hours' must be a positive number")),
    ("hours-bool", replace("course.yaml", "estimated_hours: 1", "estimated_hours: true"),
     (C, 7, "'estimated_hours' must be a positive number")),
    ("unknown-language", replace("course.yaml", "languages: [en]", "languages: [de]"),
     (C, 4, "'languages' must list codes from en, fr, es, ar, default language first")),
    ("language-twice", replace("course.yaml", "languages: [en]", "languages: [en, en]"),
     (C, 4, "'languages' must list codes from en, fr, es, ar, default language first")),
    ("no-language", replace("course.yaml", "languages: [en]", "languages: []"),
     (C, 4, "'languages' must list codes from en, fr, es, ar, default language first")),
    ("languages-missing", replace("course.yaml", "languages: [en]\n", ""),
     (C, 1, "'languages' must list codes from en, fr, es, ar, default language first")),
    ("pass-mark-zero", replace("course.yaml", "pass_mark: 70", "pass_mark: 0"),
     (C, 9, "'pass_mark' must be a percentage between 1 and 100")),
    ("pass-mark-over", replace("course.yaml", "pass_mark: 70", "pass_mark: 101"),
     (C, 9, "'pass_mark' must be a percentage between 1 and 100")),
    ("pass-mark-text", replace("course.yaml", "pass_mark: 70", "pass_mark: high"),
     (C, 9, "'pass_mark' must be a percentage between 1 and 100")),
    ("pass-mark-missing", replace("course.yaml", "pass_mark: 70\n", ""),
     (C, 1, "'pass_mark' must be a percentage between 1 and 100")),
    ("valid-days-zero", replace("course.yaml", "valid_for_days: 365", "valid_for_days: 0"),
     (C, 10, "'valid_for_days' must be a positive whole number of days")),
    ("valid-days-fraction", replace("course.yaml", "valid_for_days: 365",
                                    "valid_for_days: 1.5"),
     (C, 10, "'valid_for_days' must be a positive whole number of days")),
    ("topics-not-slugs", replace("course.yaml", "topics: [testing, migration-statistics]",
                                 "topics: [Testing, migration statistics]"),
     (C, 8, "'topics' must be a list of slugs")),
    ("topics-not-list", replace("course.yaml", "topics: [testing, migration-statistics]",
                                "topics: testing"),
     (C, 8, "'topics' must be a list of slugs")),
    # objectives
    ("objectives-missing", replace(
        "course.yaml", "objectives:\n  - id: counting\n    text: Count people by where they "
                       "usually live.\n  - id: sources\n    text: Name a data source and its "
                       "main limit.\n", ""),
     (C, 1, "'objectives' must be a non-empty list")),
    ("objectives-empty", replace(
        "course.yaml", "objectives:\n  - id: counting\n    text: Count people by where they "
                       "usually live.\n  - id: sources\n    text: Name a data source and its "
                       "main limit.\n", "objectives: []\n"),
     (C, 11, "'objectives' must be a non-empty list")),
    ("objective-twice", replace("course.yaml", "  - id: sources\n    text: Name",
                                "  - id: counting\n    text: Name"),
     (C, 14, "objective id 'counting' is used twice")),
    ("objective-without-text", replace(
        "course.yaml", "    text: Name a data source and its main limit.\n", ""),
     (C, 14, "each objective needs an 'id' (a slug) and a 'text'")),
    # modules
    ("modules-empty", replace("course.yaml", "modules:\n", "modules: []\nold_modules:\n"),
     (C, 16, "'modules' must be a non-empty list")),
    ("reserved-module-final", replace("course.yaml", "  - slug: sources\n",
                                      "  - slug: final\n"),
     (C, 21, "'final' is reserved and cannot be a module slug")),
    ("reserved-module-media", replace("course.yaml", "  - slug: sources\n",
                                      "  - slug: media\n"),
     (C, 21, "'media' is reserved and cannot be a module slug")),
    ("module-twice", replace("course.yaml", "  - slug: sources\n", "  - slug: counting\n"),
     (C, 21, "module slug 'counting' is used twice")),
    ("module-not-slug", replace("course.yaml", "  - slug: sources\n", "  - slug: Sources\n"),
     (C, 21, "each module needs a 'slug'")),
    ("module-without-title", replace("course.yaml", "    title: Data sources\n", ""),
     (C, 21, "module 'sources' needs a 'title'")),
    ("module-unknown-key", replace("course.yaml", "    title: Data sources\n",
                                   "    title: Data sources\n    quiz: yes\n"),
     (C, 23, "unknown module key 'quiz'")),
    ("module-without-lessons", replace("course.yaml", "    lessons: [census]\n", ""),
     (C, 21, "module 'sources' needs 'lessons': a list of lesson slugs")),
    ("module-lessons-not-slugs", replace("course.yaml", "lessons: [census]",
                                         "lessons: [The Census]"),
     (C, 23, "module 'sources' needs 'lessons': a list of lesson slugs")),
    ("lesson-listed-twice", replace("course.yaml", "lessons: [census]",
                                    "lessons: [census, census]"),
     (C, 23, "module 'sources' lists a lesson twice")),
    # files
    ("missing-lesson-file", replace("course.yaml", "lessons: [census]",
                                    "lessons: [census, surveys]"),
     ("field-basics/modules/sources/surveys.md", 0, "missing: course.yaml lists this lesson")),
    ("unlisted-lesson-file", copy("modules/sources/census.md", "modules/sources/surveys.md"),
     ("field-basics/modules/sources/surveys.md", 0, "this lesson is not listed in course.yaml")),
    ("lesson-in-unknown-module", write("modules/old/intro.md", "---\ntitle: x\n---\nx\n"),
     ("field-basics/modules/old/intro.md", 0, "this lesson is not listed in course.yaml")),
    ("unexpected-file-in-module", write("modules/sources/notes.yaml", "a: 1\n"),
     ("field-basics/modules/sources/notes.yaml", 0,
      "unexpected file: a module folder holds lessons (.md) and quiz.yaml")),
    ("unexpected-file-type", write("notes.txt", "remember"),
     ("field-basics/notes.txt", 0,
      "unexpected file (lessons are .md, the rest .yaml; images go in media/)")),
    ("unknown-language-file", copy("modules/sources/census.md", "modules/sources/census.de.md"),
     ("field-basics/modules/sources/census.de.md", 0, "unknown language code 'de' in the "
                                                      "file name")),
    ("variant-without-default-quiz", lambda folder: [
        copy("final.yaml", "final.fr.yaml")(folder), remove("final.yaml")(folder)],
     ("field-basics/final.fr.yaml", 0, "a language variant needs the default-language file "
                                       "final.yaml")),
    ("not-utf8", write("modules/sources/census.md", "---\ntitle: café\n".encode("latin-1")),
     (L, 0, "the file is not UTF-8 text")),
    # media
    ("media-type", write("media/slides.pdf", b"%PDF-1.4"),
     ("field-basics/media/slides.pdf", 0, "media files must be svg, png, jpg, webp or gif")),
    ("svg-script", write("media/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg">'
                                           "<script>alert(1)</script></svg>"),
     ("field-basics/media/evil.svg", 0, "SVG images must not contain scripts")),
    ("svg-onload", write("media/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                                           'onload="alert(1)"></svg>'),
     ("field-basics/media/evil.svg", 0, "SVG images must not contain scripts")),
    ("svg-javascript-link", write("media/evil.svg", '<svg><a href="javascript:alert(1)">'
                                                    "x</a></svg>"),
     ("field-basics/media/evil.svg", 0, "SVG images must not contain scripts")),
    # lesson front matter
    ("front-matter-missing", replace("modules/sources/census.md", "---\ntitle", "title"),
     (L, 1, "a lesson must start with a front matter block between '---' lines")),
    ("front-matter-unclosed", replace("modules/sources/census.md",
                                      "    url: https://unstats.un.org/\n---\n",
                                      "    url: https://unstats.un.org/\n"),
     (L, 1, "the front matter block is not closed with a '---' line")),
    ("front-matter-bad-yaml", replace("modules/sources/census.md", "title: The census",
                                      "title: The census: a count"),
     (L, 2, "not valid YAML: mapping values are not allowed here")),
    ("front-matter-unknown-key", replace("modules/sources/census.md", "minutes: 12\n",
                                         "minutes: 12\nauthor: Ana\n"),
     (L, 4, "unknown front matter key 'author'")),
    ("front-matter-no-title", replace("modules/sources/census.md", "title: The census\n", ""),
     (L, 2, "the front matter needs a 'title'")),
    ("minutes-zero", replace("modules/sources/census.md", "minutes: 12", "minutes: 0"),
     (L, 3, "'minutes' must be a positive whole number")),
    ("minutes-text", replace("modules/sources/census.md", "minutes: 12", "minutes: ten"),
     (L, 3, "'minutes' must be a positive whole number")),
    ("minutes-fraction", replace("modules/sources/census.md", "minutes: 12", "minutes: 2.5"),
     (L, 3, "'minutes' must be a positive whole number")),
    ("objectives-empty-list", replace(
        "modules/sources/census.md", "objectives:\n  - Name the three core census topics.\n",
        "objectives: []\n"),
     (L, 4, "'objectives' must be a non-empty list of texts")),
    ("takeaways-empty", replace(
        "modules/sources/census.md",
        "takeaways:\n  - Country of birth, citizenship and year of arrival.\n",
        "takeaways: []\n"),
     (L, 6, "'takeaways' must be a non-empty list of texts")),
    ("takeaways-not-texts", replace(
        "modules/sources/census.md",
        "  - Country of birth, citizenship and year of arrival.\nsources",
        "  - {a: b}\nsources"),
     (L, 6, "'takeaways' must be a non-empty list of texts")),
    ("sources-empty", replace("modules/sources/census.md", LESSON_MISSING_SOURCES,
                              "sources: []\n"),
     (L, 8, "'sources' must be a non-empty list")),
    ("source-not-mapping", replace("modules/sources/census.md", LESSON_MISSING_SOURCES,
                                   "sources:\n  - UN census principles\n"),
     (L, 8, "each source needs a 'title' (and a 'url' where one exists)")),
    ("source-without-title", replace("modules/sources/census.md",
                                     "  - title: UN census principles\n    url:", "  - url:"),
     (L, 9, "each source needs a 'title' (and a 'url' where one exists)")),
    ("source-bad-url", replace("modules/sources/census.md", "url: https://unstats.un.org/\n---",
                               "url: ftp://unstats.un.org/\n---"),
     (L, 9, "source url 'ftp://unstats.un.org/' must start with http:// or https://")),
    ("empty-body", replace("modules/sources/census.md",
                           "## Core topics\n\nCountry of birth, citizenship and year of "
                           "arrival.\n", "\n  \n"),
     (L, 12, "the lesson has no text after the front matter")),
    # lesson body
    ("unknown-glossary-id", replace("modules/sources/census.md", "\n\nCountry of birth",
                                    "\n\nCountry of [[birth-country]]"),
     (L, 15, "unknown glossary term id 'birth-country' in [[birth-country]] "
             "(write [[term-id]] or [[term-id|shown text]])")),
    ("unknown-glossary-id-with-text", append("modules/sources/census.md",
                                            "\nSee [[residence|where they live]].\n"),
     (L, 17, "unknown glossary term id 'residence' in [[residence|where they live]] "
             "(write [[term-id]] or [[term-id|shown text]])")),
    ("image-without-alt", append("modules/sources/census.md", "\n![](media/bars.svg)\n"),
     (L, 17, "image 'media/bars.svg' has no alt text")),
    ("image-outside-media", append("modules/sources/census.md",
                                   "\n![A chart](https://example.org/chart.png)\n"),
     (L, 17, "image 'https://example.org/chart.png' must be a file under media/")),
    ("image-escaping-media", append("modules/sources/census.md",
                                    "\n![A chart](media/../course.yaml)\n"),
     (L, 17, "image 'media/../course.yaml' must be a file under media/")),
    ("image-missing", append("modules/sources/census.md", "\n![A chart](media/chart.png)\n"),
     (L, 17, "image 'media/chart.png' does not exist")),
    ("unknown-callout", append("modules/sources/census.md",
                               '\n!!! danger "Careful"\n    Check the dates.\n'),
     (L, 17, "unknown call-out kind 'danger' "
             "(use one of: note, tip, warning, example, exercise, answer)")),
    ("unknown-folded-callout", append("modules/sources/census.md",
                                      '\n??? solution "Show"\n    Yes.\n'),
     (L, 17, "unknown call-out kind 'solution' "
             "(use one of: note, tip, warning, example, exercise, answer)")),
    # glossary
    ("glossary-not-list", write("glossary.yaml", "usual-residence: where one lives\n"),
     (G, 1, "the glossary must be a list of {id, term, definition}")),
    ("glossary-entry-incomplete", replace(
        "glossary.yaml", "  definition: All migrants living in a country at **one point** "
                         "in time.\n", ""),
     (G, 4, "each glossary entry needs an 'id' (a slug), a 'term' and a 'definition'")),
    ("glossary-id-not-slug", replace("glossary.yaml", "- id: migrant-stock",
                                     "- id: Migrant Stock"),
     (G, 4, "each glossary entry needs an 'id' (a slug), a 'term' and a 'definition'")),
    ("glossary-id-twice", replace("glossary.yaml", "- id: migrant-stock",
                                  "- id: usual-residence"),
     (G, 4, "glossary id 'usual-residence' is defined twice")),
    ("glossary-bad-yaml", replace("glossary.yaml", "  term: migrant stock",
                                  "  term: [migrant stock"),
     (G, 6, "not valid YAML: expected ',' or ']', but got ':'")),
    # quizzes
    ("quiz-not-mapping", write("modules/sources/quiz.yaml", "- id: core-topics\n"),
     (Q, 1, "a quiz must be a mapping with a 'questions' list")),
    ("quiz-empty-file", write("modules/sources/quiz.yaml", ""),
     (Q, 1, "a quiz must be a mapping with a 'questions' list")),
    ("quiz-bad-yaml", replace("modules/sources/quiz.yaml", "max_attempts: 2",
                              "max_attempts: 2: 3"),
     (Q, 1, "not valid YAML: mapping values are not allowed here")),
    ("quiz-unknown-key", replace("modules/sources/quiz.yaml", "max_attempts: 2\n",
                                 "max_attempts: 2\nauthor: Ana\n"),
     (Q, 2, "unknown key 'author'")),
    ("question-unknown-key", replace("modules/sources/quiz.yaml", "    scoring: partial\n",
                                     "    scoring: partial\n    hint: Think.\n"),
     (Q, 6, "unknown question key 'hint'")),
    ("questions-empty", write("modules/sources/quiz.yaml", "max_attempts: 2\nquestions: []\n"),
     (Q, 2, "'questions' must be a non-empty list")),
    ("questions-missing", write("modules/sources/quiz.yaml", "max_attempts: 2\n"),
     (Q, 1, "'questions' must be a non-empty list")),
    ("question-not-mapping", append("modules/sources/quiz.yaml", "  - Just a question?\n"),
     (Q, 0, "each question must be a mapping")),
    ("question-id-twice", replace("modules/sources/quiz.yaml", "  - id: name-source",
                                  "  - id: core-topics"),
     (Q, 15, "question id 'core-topics' is used twice")),
    ("question-id-not-slug", replace("modules/sources/quiz.yaml", "  - id: name-source",
                                     "  - id: Name source"),
     (Q, 15, "each question needs an 'id' (a slug)")),
    ("question-unknown-type", replace("modules/sources/quiz.yaml", "type: short_text",
                                      "type: essay"),
     (Q, 16, f"question 'name-source': 'type' must be one of {TYPES}")),
    ("question-type-not-text", replace("final.yaml", "type: true_false",
                                       "type: [true_false]"),
     (F, 14, f"question 'final-census': 'type' must be one of {TYPES}")),
    ("question-without-prompt", replace(
        "modules/sources/quiz.yaml",
        "    prompt: Which source counts the whole population every ten years?\n", ""),
     (Q, 15, "question 'name-source' has no 'prompt'")),
    ("question-without-explanation", replace(
        "modules/sources/quiz.yaml", "    explanation: The population census.\n", ""),
     (Q, 15, "question 'name-source' has no 'explanation'")),
    ("objective-not-in-course", replace("modules/sources/quiz.yaml",
                                        "    objective: sources\n    prompt: Which are",
                                        "    objective: census\n    prompt: Which are"),
     (Q, 6, "question 'core-topics': 'objective' must be one of the course objectives "
            "(counting, sources)")),
    ("one-option", replace("final.yaml", "      - {id: b, text: Residents born abroad on "
                                         "1 January}\n", ""),
     (F, 8, "question 'final-stock' needs 2 to 8 'options'")),
    ("nine-options", replace("modules/sources/quiz.yaml",
                             "      - {id: arrival, text: Year of arrival}\n",
                             "      - {id: arrival, text: Year of arrival}\n"
                             + FOUR_MORE_OPTIONS),
     (Q, 8, "question 'core-topics' needs 2 to 8 'options'")),
    ("option-ids-twice", replace("modules/sources/quiz.yaml", "{id: religion, text: Religion}",
                                 "{id: birth, text: Religion}"),
     (Q, 8, "question 'core-topics': option ids must be unique")),
    ("option-without-text", replace("modules/sources/quiz.yaml",
                                    "{id: religion, text: Religion}", "{id: religion}"),
     (Q, 11, "question 'core-topics': each option needs an 'id' and a 'text'")),
    ("single-answer-not-option", replace("final.yaml", "    answer: a\n", "    answer: c\n"),
     (F, 11, "question 'final-stock': answer 'c' is not one of the option ids ['a', 'b']")),
    ("multiple-answer-not-option", replace("modules/sources/quiz.yaml",
                                           "answer: [birth, citizenship, arrival]",
                                           "answer: [birth, language]"),
     (Q, 13, "question 'core-topics': answer ids ['language'] are not option ids "
             "['birth', 'citizenship', 'religion', 'arrival']")),
    ("multiple-answer-not-list", replace("modules/sources/quiz.yaml",
                                         "answer: [birth, citizenship, arrival]",
                                         "answer: birth"),
     (Q, 13, "question 'core-topics': answer must be a non-empty list of option ids")),
    ("bad-scoring", replace("modules/sources/quiz.yaml", "scoring: partial", "scoring: some"),
     (Q, 5, "question 'core-topics': scoring must be all_or_nothing or partial")),
    ("true-false-not-bool", replace("final.yaml", "    answer: true\n", '    answer: "yes"\n'),
     (F, 17, "question 'final-census': answer must be true or false")),
    ("true-false-with-options", replace("final.yaml", "    answer: true\n",
                                        "    options: [{id: a, text: A}, {id: b, text: B}]\n"
                                        "    answer: true\n"),
     (F, 17, "question 'final-census': a true_false question has no options")),
    ("numeric-not-number", replace("modules/counting/quiz.yaml", "    answer: 50\n",
                                   "    answer: fifty\n"),
     (N, 23, "question 'rate': answer must be a number")),
    ("numeric-negative-tolerance", replace("modules/counting/quiz.yaml", "tolerance: 0.5",
                                           "tolerance: -1"),
     (N, 24, "question 'rate': tolerance must be a number of at least 0")),
    ("short-text-empty-list", replace("modules/sources/quiz.yaml",
                                      "answer: [census, population census, recensement]",
                                      "answer: []"),
     (Q, 19, "question 'name-source': answer must be a list of accepted answers")),
    ("short-text-blank-answer", replace("modules/sources/quiz.yaml",
                                        "answer: [census, population census, recensement]",
                                        'answer: [census, " "]'),
     (Q, 19, "question 'name-source': answer must be a list of accepted answers")),
    ("quiz-pass-mark-zero", replace("modules/sources/quiz.yaml", "max_attempts: 2\n",
                                    "max_attempts: 2\npass_mark: 0\n"),
     (Q, 2, "'pass_mark' must be a percentage between 1 and 100")),
    ("quiz-pass-mark-text", replace("modules/sources/quiz.yaml", "max_attempts: 2\n",
                                    "max_attempts: 2\npass_mark: high\n"),
     (Q, 2, "'pass_mark' must be a percentage between 1 and 100")),
    ("max-attempts-zero", replace("modules/sources/quiz.yaml", "max_attempts: 2",
                                  "max_attempts: 0"),
     (Q, 1, "'max_attempts' must be a positive whole number")),
    ("max-attempts-text", replace("modules/sources/quiz.yaml", "max_attempts: 2",
                                  "max_attempts: two"),
     (Q, 1, "'max_attempts' must be a positive whole number")),
    ("shuffle-not-bool", replace("modules/sources/quiz.yaml", "max_attempts: 2\n",
                                 "max_attempts: 2\nshuffle: sometimes\n"),
     (Q, 2, "'shuffle' must be true or false")),
    # language variants
    ("french-quiz-changes-answer", replace("modules/counting/quiz.fr.yaml", "    answer: a\n",
                                           "    answer: b\n"),
     (NF, 4, "question 'stock-or-flow' must have the same type, objective, option ids and "
             "answer as in the default language file")),
    ("french-quiz-changes-option-id", lambda folder: [
        replace("modules/counting/quiz.fr.yaml", "{id: a, text: Un stock}",
                "{id: x, text: Un stock}")(folder),
        replace("modules/counting/quiz.fr.yaml", "    answer: a\n", "    answer: x\n")(folder)],
     (NF, 4, "question 'stock-or-flow' must have the same type, objective, option ids and "
             "answer as in the default language file")),
    ("french-quiz-changes-tolerance", replace("modules/counting/quiz.fr.yaml", "tolerance: 0.5",
                                              "tolerance: 5"),
     (NF, 19, "question 'rate' must have the same type, objective, option ids and answer as "
              "in the default language file")),
    ("french-quiz-changes-type", replace("modules/counting/quiz.fr.yaml",
                                         "    type: true_false\n    objective: counting\n"
                                         "    prompt: Une personne qui part 14 mois est un "
                                         "migrant de long terme.\n    answer: true\n",
                                         "    type: short_text\n    objective: counting\n"
                                         "    prompt: Une personne qui part 14 mois ?\n"
                                         "    answer: [oui]\n"),
     (NF, 13, "question 'twelve-months' must have the same type, objective, option ids and "
              "answer as in the default language file")),
    ("french-quiz-drops-question", replace(
        "modules/counting/quiz.fr.yaml",
        "  - id: twelve-months\n    type: true_false\n    objective: counting\n    prompt: Une "
        "personne qui part 14 mois est un migrant de long terme.\n    answer: true\n    "
        "explanation: Le seuil est de 12 mois.\n", ""),
     (NF, 0, "the questions (ids and order) must be the same as in the default language file")),
    ("french-quiz-changes-pass-mark", replace("modules/counting/quiz.fr.yaml", "pass_mark: 70",
                                              "pass_mark: 50"),
     (NF, 2, "'pass_mark' must be the same as in the default language file")),
    ("french-quiz-changes-max-attempts", write(
        "modules/sources/quiz.fr.yaml",
        (FIXTURE / "modules/sources/quiz.yaml").read_text().replace(
            "max_attempts: 2", "max_attempts: 5")),
     ("field-basics/modules/sources/quiz.fr.yaml", 1,
      "'max_attempts' must be the same as in the default language file")),
    ("french-lesson-checked-too", replace("modules/counting/usual-residence.fr.md",
                                          "minutes: 10", "minutes: dix"),
     (LF, 3, "'minutes' must be a positive whole number")),
    ("french-lesson-unknown-term", replace("modules/counting/usual-residence.fr.md",
                                           "[[usual-residence]]", "[[residence]]"),
     (LF, 15, "unknown glossary term id 'residence' in [[residence]] "
              "(write [[term-id]] or [[term-id|shown text]])")),
    ("french-glossary-extra-id", append("glossary.fr.yaml", "- id: census\n  term: recensement"
                                                            "\n  definition: Un comptage.\n"),
     (GF, 0, "ids not in the default glossary: census")),
    ("french-course-unknown-key", append("course.fr.yaml", "level: advanced\n"),
     (CF, 6, "unknown key 'level' (a language variant holds only title, summary, audience, "
             "objectives, modules)")),
    ("french-course-objectives-list", replace("course.fr.yaml", "objectives: {counting: "
                                              "\"Compter les personnes selon leur lieu de "
                                              "résidence habituelle.\"}",
                                              "objectives: [Compter]"),
     (CF, 3, "'objectives' must map ids to translated texts")),
    ("french-course-unknown-objective", replace("course.fr.yaml", "objectives: {counting:",
                                                "objectives: {countng:"),
     (CF, 3, "'objectives': ids not in course.yaml: countng")),
    ("french-course-unknown-module", replace("course.fr.yaml", "  counting: {title",
                                             "  countin: {title"),
     (CF, 4, "'modules': ids not in course.yaml: countin")),
    ("french-course-module-not-mapping", replace("course.fr.yaml",
                                                 "  counting: {title: Compter les personnes}",
                                                 "  counting: Compter les personnes"),
     (CF, 5, "module 'counting' must map title and summary to translated texts")),
    ("french-course-not-mapping", write("course.fr.yaml", "- titre\n"),
     (CF, 1, "must be a mapping of translated texts")),
]


@pytest.mark.parametrize("edit,expected", [pytest.param(e, x, id=name) for name, e, x in CASES])
def test_each_problem_names_file_line_and_message(tmp_path, edit, expected):
    course, problems = broken(tmp_path, edit)
    assert Problem(*expected) in problems, "\n".join(map(str, problems))
    assert course is None        # a course with any problem is not loaded, not even in part


def test_declared_language_needs_every_file(tmp_path):
    course, problems = broken(tmp_path, replace("course.yaml", "languages: [en]",
                                                "languages: [en, fr]"))
    assert course is None
    message = "missing: course.yaml declares 'fr' as a complete language"
    assert sorted(problems, key=str) == [
        Problem("field-basics/final.fr.yaml", 0, message),
        Problem("field-basics/modules/counting/stocks-and-flows.fr.md", 0, message),
        Problem("field-basics/modules/sources/census.fr.md", 0, message),
        Problem("field-basics/modules/sources/quiz.fr.yaml", 0, message),
    ]


def test_french_quiz_that_reorders_questions(tmp_path):
    def swap(folder):
        path = folder / "modules/counting/quiz.fr.yaml"
        header, first, second, third = path.read_text(encoding="utf-8").split("  - id: ")
        path.write_text("  - id: ".join([header, second, first, third]), encoding="utf-8")

    course, problems = broken(tmp_path, swap)
    assert course is None
    assert problems == [Problem(NF, 0, "the questions (ids and order) must be the same as in "
                                       "the default language file")]


def test_a_complete_translation_loads(tmp_path):
    """languages: [en, fr] with every French file present is a valid course."""
    folder = copy_course(tmp_path)
    replace("course.yaml", "languages: [en]", "languages: [en, fr]")(folder)
    for rel in ("final.yaml", "modules/counting/stocks-and-flows.md",
                "modules/sources/census.md", "modules/sources/quiz.yaml"):
        stem, ext = rel.rsplit(".", 1)
        copy(rel, f"{stem}.fr.{ext}")(folder)
    replace("modules/sources/quiz.fr.yaml", "answer: [census, population census, recensement]",
            "answer: [recensement de la population]")(folder)
    course, problems = load(folder)
    assert problems == []
    assert course.languages == ("en", "fr")
    fr_key = course.edition("fr").quiz("sources").question("name-source").key
    en_key = course.default.quiz("sources").question("name-source").key
    # French accepted answers are added to the default ones, in the French edition only.
    assert fr_key["accepted"] == ["census", "population census", "recensement",
                                  "recensement de la population"]
    assert fr_key["answer"] == ["recensement de la population"]
    assert en_key["accepted"] == ["census", "population census", "recensement"]


def test_several_problems_are_all_reported(tmp_path):
    def edits(folder):
        replace("course.yaml", "level: introductory", "level: expert")(folder)
        replace("course.yaml", "pass_mark: 70", "pass_mark: 0")(folder)
    course, problems = broken(tmp_path, edits)
    assert course is None
    assert problems == [
        Problem(C, 5, "'level' must be one of introductory, intermediate, advanced"),
        Problem(C, 9, "'pass_mark' must be a percentage between 1 and 100")]


def test_yaml_keys_that_are_not_text_do_not_crash_the_loader(tmp_path):
    # `yes:` is a boolean key in YAML 1.1; with another unknown key they cannot be sorted.
    course, problems = broken(tmp_path, replace("course.yaml", 'version: "test-1"\n',
                                                'version: "test-1"\nyes: 1\nauthor: Ana\n'))
    assert course is None
    assert problems == [Problem(C, 4, "unknown key True"), Problem(C, 5, "unknown key 'author'")]


def test_null_key_is_a_yaml_problem(tmp_path):
    course, problems = broken(tmp_path, replace("course.yaml", 'version: "test-1"\n',
                                                'version: "test-1"\n~: 1\n'))
    assert course is None
    assert problems == [Problem(C, 4, "not valid YAML: keys must be plain words")]


def test_byte_order_mark_is_not_part_of_the_text(tmp_path):
    """Some Windows editors start UTF-8 files with a BOM: the lesson still loads."""
    folder = copy_course(tmp_path)
    for rel in ("modules/sources/census.md", "course.yaml", "final.yaml"):
        path = folder / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    course, problems = load(folder)
    assert problems == []
    assert course.default.lesson("sources/census").title == "The census"


def test_unknown_language_in_a_variant_is_not_a_language(tmp_path):
    # A supported language with a lone variant file gets an edition; others do not.
    folder = copy_course(tmp_path)
    copy("modules/sources/census.md", "modules/sources/census.es.md")(folder)
    replace("modules/sources/census.es.md", "title: The census", "title: El censo")(folder)
    course, problems = load(folder)
    assert problems == []
    assert course.edition("es").lesson("sources/census").title == "El censo"
    assert course.edition("es").title == course.default.title
    assert course.edition("ar") is course.default
