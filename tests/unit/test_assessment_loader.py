"""The framework loader: the fixture loads; every kind of problem is reported
with its file and line, and a framework with a problem does not load at all."""

import shutil
from pathlib import Path

import pytest

from app.assessments.loader import FrameworkLoader, load_library

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "assessments" / "mini"
LANGS = ("en", "fr", "es", "ar")
MODULES = frozenset({"field-basics/counting", "field-basics/sources"})


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "mini"
    shutil.copytree(FIXTURE, target)
    return target


def load(folder, modules=MODULES):
    loader = FrameworkLoader(folder, LANGS, modules)
    return loader.load(), loader.problems


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; return the line number where the change starts."""
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))
    return text[:text.index(old)].count("\n") + 1


def only_problem(problems, contains: str, line: int | None = None, file="framework.yaml"):
    assert problems, "expected a problem"
    matching = [p for p in problems if contains in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert problem.path == f"mini/{file}"
    if line is not None:
        assert problem.line == line, str(problem)
    return problem


def test_the_fixture_framework_loads(folder):
    framework, problems = load(folder)
    assert problems == []
    assert framework.slug == "mini" and framework.version == "test-1"
    assert framework.languages == ("en", "fr")
    assert [d.slug for d in framework.domains] == ["legal-framework", "coordination",
                                                   "dissemination"]
    legal = framework.default.domain("legal-framework")
    assert legal.weight == 2 and legal.institutions == ("nso", "interior", "data-protection")
    q1 = framework.default.question("statistics-law-mandate")
    assert q1.number == "1.1" and q1.weight == 2 and q1.gap_type == "data"
    assert "<strong>migration statistics</strong>" in q1.text_html
    assert q1.levels == legal.levels and not q1.own_levels        # the domain's wording
    q2 = framework.default.question("admin-data-access")
    assert q2.own_levels and q2.levels[0] == "No access at all."
    assert len(q1.improvement) == 3 and q1.courses == ("field-basics/counting",)
    french = framework.edition("fr")
    assert french.domain("coordination").title == "Coordination et normes"
    assert french.question("admin-data-access").levels[0] == "Aucun accès."
    assert french.scale_labels[3] == "Satisfaisant"
    assert framework.edition("es") is framework.default          # falls back to English


def test_problems_print_as_file_and_line(folder):
    line = edit(folder / "framework.yaml", 'title: "Mini', 'titel: "Mini')
    framework, problems = load(folder)
    assert framework is None
    problem = only_problem(problems, "unknown key 'titel'", line)
    assert str(problem) == f"mini/framework.yaml:{line}: unknown key 'titel'"


def test_malformed_yaml_names_the_line(folder):
    line = edit(folder / "framework.yaml", "    weight: 2\n    institutions",
                "    weight: [2\n    institutions")
    framework, problems = load(folder)
    assert framework is None
    assert problems and "not valid YAML" in problems[0].message
    assert problems[0].line >= line


@pytest.mark.parametrize("old, new, message", [
    ('version: "test-1"', "version: ", "'version' must be a non-empty text"),
    ("languages: [en, fr]", "languages: [en, xx]", "'languages' must list codes"),
    ("  - level: 4\n    label: Fully meets\n    meaning: Institutionalised, funded, reviewed and "
     "used.\n", "", "'scale' must list the five levels"),
    ("  - level: 1\n", "  - level: 2\n", "expected level 1 here"),
    ("  - level: 4\n", "  - level: 7\n", "scale: level 7 is outside 0–4"),
    ("  - slug: coordination\n", "  - slug: Coordination!\n", "needs a 'slug'"),
    ("  - slug: dissemination\n", "  - slug: coordination\n", "is used twice"),
    ("    weight: 2\n    institutions", "    weight: -1\n    institutions",
     "'weight' must be a positive number"),
    ("institutions: [nso, labour]", "institutions: [nso, ministry-of-magic]",
     "'institutions' must list who usually answers"),
    ("      4: Demand-driven products.", "      5: Demand-driven products.",
     "level 5 is outside 0–4"),
    ("      4: Demand-driven products.\n", "", "needs a text for level(s) 4"),
    ("          4: Routine access, reviewed agreements.",
     "          9: Routine access, reviewed agreements.", "level 9 is outside 0–4"),
    ("      - id: common-definitions", "      - id: working-group", "question id 'working-group' "
                                                                   "is used twice"),
    ("        guidance: Terms of reference, secretariat, meetings.\n", "",
     "question 'working-group' needs a 'guidance'"),
    ("        gap_type: capacity", "        gap_type: money", "'gap_type' must be one of"),
    ('        references: ["SDG 17.18.2", "GCM objective 1"]', "        references: SDG",
     "'references' must be a list of texts"),
    ("          2: Meet on a regular schedule.\n", "", "'improvement' needs a text for level(s) 2"),
    ("          2: Meet on a regular schedule.\n",
     "          2: Meet on a regular schedule.\n          3: Celebrate.\n",
     "'improvement' are only for levels 0, 1, 2"),
    ("          - field-basics/sources", "          - field-basics/no-such-module",
     "unknown course module 'field-basics/no-such-module'"),
    ("          - field-basics/sources", "          - Field Basics", "is not a course-slug/"),
    ("      - id: release-calendar", "      - id: release-calendar\n        colour: blue",
     "unknown question key 'colour'"),
])
def test_each_problem_is_reported_and_nothing_loads(folder, old, new, message):
    line = edit(folder / "framework.yaml", old, new)
    framework, problems = load(folder)
    assert framework is None
    problem = only_problem(problems, message)
    # The line of the changed item, or of the mapping or list that misses something.
    assert 0 < problem.line <= line + 1, (str(problem), line)


def test_a_level_outside_0_to_4_in_a_question(folder):
    line = edit(folder / "framework.yaml", "          0: No access at all.",
                "          -1: No access at all.")
    _, problems = load(folder)
    only_problem(problems, "level -1 is outside 0–4", line)


def test_course_modules_are_checked_only_when_known_modules_are_given(folder):
    edit(folder / "framework.yaml", "          - field-basics/sources",
         "          - another-course/anything")
    framework, problems = load(folder, modules=None)
    assert problems == [] and framework is not None
    _, problems = load(folder, modules=MODULES)
    only_problem(problems, "unknown course module 'another-course/anything'")


def test_language_variant_problems(folder):
    fr = folder / "framework.fr.yaml"
    line = edit(fr, "  dissemination:\n", "  distribution:\n")
    framework, problems = load(folder)
    assert framework is None
    only_problem(problems, "unknown domain 'distribution'", line, file="framework.fr.yaml")
    only_problem(problems, "missing fr texts for domain 'dissemination'",
                 file="framework.fr.yaml")


def test_a_listed_language_must_be_complete(folder):
    edit(folder / "framework.fr.yaml",
         '        guidance: "Termes de référence, secrétariat, réunions."\n', "")
    _, problems = load(folder)
    only_problem(problems, "missing fr text: question 'working-group' guidance",
                 file="framework.fr.yaml")


def test_an_unlisted_language_may_be_partial(folder):
    (folder / "framework.es.yaml").write_text(
        'title: "Marco mínimo"\ndomains:\n  coordination:\n    title: "Coordinación"\n')
    framework, problems = load(folder)
    assert problems == []
    spanish = framework.edition("es")
    assert spanish.title == "Marco mínimo"
    assert spanish.domain("coordination").title == "Coordinación"
    assert spanish.domain("dissemination").title == "Dissemination and use"


def test_variant_question_levels_only_where_english_has_them(folder):
    line = edit(folder / "framework.fr.yaml",
                '        guidance: "Termes de référence, secrétariat, réunions."\n',
                '        guidance: "Termes de référence, secrétariat, réunions."\n'
                '        levels: {0: "a", 1: "b", 2: "c", 3: "d", 4: "e"}\n')
    _, problems = load(folder)
    only_problem(problems, "has no 'levels' of its own", line + 1, file="framework.fr.yaml")


def test_unknown_language_file_and_missing_listed_file(folder):
    shutil.copy(folder / "framework.fr.yaml", folder / "framework.xx.yaml")
    (folder / "framework.fr.yaml").unlink()
    _, problems = load(folder)
    only_problem(problems, "unknown language code 'xx'", file="framework.xx.yaml")
    only_problem(problems, "'languages' lists 'fr' but framework.fr.yaml is missing")


def test_missing_or_non_mapping_framework_file(tmp_path):
    empty = tmp_path / "empty-one"
    empty.mkdir()
    loader = FrameworkLoader(empty, LANGS)
    assert loader.load() is None and "missing framework.yaml" in loader.problems[0].message
    listy = tmp_path / "listy"
    listy.mkdir()
    (listy / "framework.yaml").write_text("- a\n- b\n")
    loader = FrameworkLoader(listy, LANGS)
    assert loader.load() is None and "must be a mapping" in loader.problems[0].message
    bad = tmp_path / "Bad_Name"
    bad.mkdir()
    loader = FrameworkLoader(bad, LANGS)
    assert loader.load() is None and "must be a slug" in loader.problems[0].message


def test_library_keeps_good_frameworks_and_reports_bad_ones(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "good")
    shutil.copytree(FIXTURE, tmp_path / "broken")
    edit(tmp_path / "broken" / "framework.yaml", 'version: "test-1"', "version: ''")
    (tmp_path / "_ignored").mkdir()
    library = load_library(tmp_path, LANGS, MODULES)
    assert list(library.frameworks) == ["good"]
    assert library.problems and all(p.path.startswith("broken/") for p in library.problems)
    single = load_library(tmp_path / "good", LANGS, MODULES)
    assert list(single.frameworks) == ["good"]


def test_content_hash_changes_with_the_files(folder):
    before, _ = load(folder)
    edit(folder / "framework.yaml", "Look at the statistics law", "Read the statistics law")
    after, _ = load(folder)
    assert before.content_hash != after.content_hash
