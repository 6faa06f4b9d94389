"""Course pages end to end: catalogue, overview, enrolment, lessons, progress,
my learning, handouts, media, the query budget of a lesson, and the
`flask courses` commands. The testing configuration serves the fixture course
tests/fixtures/courses/field-basics."""

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app.courses import handouts
from app.courses.loader import load_catalogue
from app.courses.models import CourseVersion, Enrolment, LessonProgress
from app.extensions import db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "courses"
BASE = "/courses/field-basics"
UR, SF, CE = "counting/usual-residence", "counting/stocks-and-flows", "sources/census"


# --- helpers -------------------------------------------------------------------------

def enrol(client):
    response = client.post(f"{BASE}/enrol")
    assert response.status_code == 302
    return response


def enrolments(app, uid=None):
    with app.app_context():
        stmt = select(Enrolment)
        if uid is not None:
            stmt = stmt.where(Enrolment.user_id == uid)
        return list(db.session.scalars(stmt))


def done_keys(app, uid):
    with app.app_context():
        return set(db.session.scalars(
            select(LessonProgress.lesson_key).join(Enrolment)
            .where(Enrolment.user_id == uid)))


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def text(response):
    return response.get_data(as_text=True)


def course_links(html):
    return set(re.findall(r'<h2[^>]*><a href="/courses/([a-z0-9-]+)/">', html))


# --- catalogue -----------------------------------------------------------------------

@pytest.fixture
def two_courses(app, tmp_path, monkeypatch):
    """The fixture course and a second, French-language, advanced one about the census."""
    root = tmp_path / "courses"
    shutil.copytree(FIXTURES / "field-basics", root / "field-basics")
    other = root / "recensement-avance"
    shutil.copytree(FIXTURES / "field-basics", other)
    for variant in other.rglob("*.fr.*"):
        variant.unlink()
    course_yaml = other / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text(encoding="utf-8")
        .replace('title: "Field basics: counting people who move"',
                 'title: "Recensement avancé"')
        .replace("languages: [en]", "languages: [fr]")
        .replace("level: introductory", "level: advanced")
        .replace("topics: [testing, migration-statistics]", "topics: [census]"),
        encoding="utf-8")
    catalogue = load_catalogue(root, tuple(app.config["LANGUAGES"]))
    assert catalogue.problems == () and len(catalogue.courses) == 2
    monkeypatch.setitem(app.extensions, "catalogue", catalogue)
    return catalogue


@pytest.mark.parametrize("query,expected", [
    ("", {"field-basics", "recensement-avance"}),
    ("?topic=census", {"recensement-avance"}),
    ("?topic=testing", {"field-basics"}),
    ("?level=advanced", {"recensement-avance"}),
    ("?level=introductory", {"field-basics"}),
    ("?language=fr", {"recensement-avance"}),
    ("?language=en", {"field-basics"}),
    ("?q=counting", {"field-basics", "recensement-avance"}),     # both have the module
    ("?q=FIELD+basics", {"field-basics"}),
    ("?q=recensement+avance", {"recensement-avance"}),           # accents ignored
    ("?q=compter", {"field-basics"}),                            # the French edition's title
    ("?q=census", {"recensement-avance"}),                       # by topic, not lesson text
    ("?q=census&level=introductory", set()),
    ("?topic=census&level=introductory", set()),
    ("?q=zebra", set()),
])
def test_catalogue_filters(client, two_courses, query, expected):
    response = client.get(f"/courses/{query}")
    assert response.status_code == 200
    html = text(response)
    assert course_links(html) == expected
    if not expected:
        assert "No course matches these filters." in html and "0 courses" in html


def test_catalogue_marks_my_enrolments(client, login_as):
    login_as()
    assert "Enrolled" not in text(client.get("/courses/"))
    enrol(client)
    html = text(client.get("/courses/"))
    assert "Field basics: counting people who move" in html and "Enrolled" in html


# --- not found -----------------------------------------------------------------------

@pytest.mark.parametrize("method,url", [
    ("get", "/courses/nope/"),
    ("post", "/courses/nope/enrol"),
    ("get", "/courses/nope/resume"),
    ("get", "/courses/nope/counting/usual-residence"),
    ("get", f"{BASE}/nope/usual-residence"),
    ("get", f"{BASE}/counting/nope"),
    ("get", f"{BASE}/sources/usual-residence"),        # a lesson of another module
    ("post", f"{BASE}/counting/nope/done"),
    ("get", f"{BASE}/quizzes/nope"),
    ("get", f"{BASE}/quizzes/final/attempts/1"),
    ("get", "/courses/nope/quizzes/final"),
    ("get", "/courses/nope/handout.pdf"),
    ("get", f"{BASE}/nope/handout.pdf"),
    ("get", "/courses/nope/media/bars.svg"),
])
def test_unknown_slugs_are_404(client, login_as, method, url):
    login_as()
    enrol(client)
    response = getattr(client, method)(url)
    assert response.status_code == 404, url
    assert "Page not found" in text(response)


# --- overview and enrolment ----------------------------------------------------------

def test_overview_for_a_visitor(client):
    response = client.get(f"{BASE}/")
    assert response.status_code == 200
    html = text(response)
    assert 'dir="ltr">Field basics: counting people who move</h1>' in html
    assert "Sign in to enrol" in html and "My progress" not in html
    for title in ("Counting people", "Data sources", "Usual residence", "Stocks and flows",
                  "The census", "Final exam"):
        assert title in html
    # Lessons and quizzes are listed but not linked before enrolment.
    assert f'href="{BASE}/counting/usual-residence"' not in html
    assert f'href="{BASE}/quizzes/counting"' not in html
    assert f'href="{BASE}/handout.pdf"' in html


def test_overview_in_french(client):
    client.set_cookie("lang", "fr")
    html = text(client.get(f"{BASE}/"))
    assert "Notions de terrain : compter les personnes qui se déplacent" in html
    assert "Compter les personnes" in html and "Data sources" in html     # fallback
    assert "Résidence habituelle" in html


def test_overview_for_an_enrolled_learner(app, client, login_as):
    login_as()
    html = text(client.get(f"{BASE}/"))
    assert "Enrol in this course" in html and "My progress" not in html
    enrol(client)
    client.post(f"{BASE}/{UR}/done")
    html = text(client.get(f"{BASE}/"))
    assert "My progress" in html and 'value="17"' in html                 # 1 of 6 steps
    assert f'href="{BASE}/{UR}"' in html and f'href="{BASE}/quizzes/counting"' in html
    assert "In progress" in html and "Continue where I left off" in html


def test_enrol_twice_makes_one_enrolment(app, client, login_as):
    uid = login_as()
    first = enrol(client)
    assert first.headers["Location"] == f"{BASE}/{UR}"
    second = enrol(client)
    assert second.headers["Location"] == f"{BASE}/{UR}"
    assert len(enrolments(app, uid)) == 1


def test_enrol_race_returns_the_row_of_the_other_request(app, login_as, monkeypatch):
    """Two requests enrolling at once: the loser's insert hits the unique
    constraint and returns the winner's row instead of an error."""
    from app.auth.models import User
    from app.courses import services
    from app.courses.catalogue import catalogue

    uid = login_as()
    with app.test_request_context():
        user, course = db.session.get(User, uid), catalogue().get("field-basics")
        winner = services.enrol(user, course)
        db.session.commit()
        real, seen = services.get_enrolment, []

        def late(*args, **kwargs):      # the first look happens before the winner commits
            seen.append(1)
            return None if len(seen) == 1 else real(*args, **kwargs)

        monkeypatch.setattr(services, "get_enrolment", late)
        assert services.enrol(user, course).id == winner.id
        db.session.commit()
    assert len(enrolments(app, uid)) == 1


def test_mark_done_race_is_the_same_result(app, client, login_as, monkeypatch):
    from app.auth.models import User
    from app.courses import services
    from app.courses.catalogue import catalogue

    uid = login_as()
    enrol(client)
    client.post(f"{BASE}/{UR}/done")
    with app.test_request_context():
        user, course = db.session.get(User, uid), catalogue().get("field-basics")
        # The other request's row is not visible yet when this one checks.
        monkeypatch.setattr(Enrolment, "done_keys", property(lambda self: set()))
        enrolment, completed = services.mark_done(user, course, UR)
        db.session.commit()
        assert completed is False and enrolment.last_lesson_key == UR
    assert count(app, LessonProgress) == 1


def test_enrol_needs_sign_in(app, client):
    response = client.post(f"{BASE}/enrol")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert enrolments(app) == []


# --- lessons -------------------------------------------------------------------------

def test_lesson_needs_sign_in(client):
    response = client.get(f"{BASE}/{UR}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_lesson_needs_enrolment(app, client, login_as):
    uid = login_as()
    response = client.get(f"{BASE}/{UR}")
    assert response.status_code == 302 and response.headers["Location"] == f"{BASE}/"
    assert "Enrol in this course to read its lessons." in text(client.get(f"{BASE}/"))
    assert enrolments(app, uid) == []


def test_lesson_page(app, client, login_as):
    login_as()
    enrol(client)
    response = client.get(f"{BASE}/{UR}")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Usual residence</h1>" in html
    assert "Apply the 12-month rule." in html                     # objectives
    assert "A migrant changes country of usual residence." in html  # takeaways
    assert '<dt id="term-usual-residence">usual residence</dt>' in html
    assert 'href="https://unstats.un.org/unsd/publication/SeriesM/SeriesM_58rev1E.pdf"' in html
    assert "<table>" in html and '<details class="answer">' in html
    assert 'src="/courses/field-basics/media/bars.svg"' in html
    assert "alert(" not in html
    assert "Mark as done" in html and 'name="then" value="next"' in html
    assert f'rel="next" href="{BASE}/{SF}"' in html


def test_lesson_in_french_with_fallback(app, client, login_as):
    login_as(locale="fr")
    enrol(client)
    html = text(client.get(f"{BASE}/{UR}"))
    assert "<h1>Résidence habituelle</h1>" in html and 'lang="fr"' in html
    assert '<dt id="term-usual-residence">résidence habituelle</dt>' in html
    html = text(client.get(f"{BASE}/{SF}"))                       # no French file
    assert "<h1>Stocks and flows</h1>" in html
    assert '<article class="lesson prose" lang="en" dir="ltr">' in html


def test_last_lesson_of_a_module_offers_its_check(client, login_as):
    login_as()
    enrol(client)
    html = text(client.get(f"{BASE}/{SF}"))
    assert "Take the knowledge check for this module" in html
    assert 'name="then"' not in html                             # next lesson is elsewhere
    html = text(client.get(f"{BASE}/{CE}"))
    assert f'href="{BASE}/quizzes/final"' in html


def test_mark_done_is_idempotent(app, client, login_as):
    uid = login_as()
    enrol(client)
    first = client.post(f"{BASE}/{UR}/done")
    assert first.status_code == 302
    assert first.headers["Location"] == f"{BASE}/{UR}#lesson-end"
    again = client.post(f"{BASE}/{UR}/done")
    assert again.status_code == 302
    assert done_keys(app, uid) == {UR}
    assert count(app, LessonProgress) == 1
    html = text(client.get(f"{BASE}/{UR}"))
    assert "You have marked this lesson as done." in html and "Mark as done" not in html


def test_mark_done_and_continue(app, client, login_as):
    uid = login_as()
    enrol(client)
    response = client.post(f"{BASE}/{UR}/done", data={"then": "next"})
    assert response.headers["Location"] == f"{BASE}/{SF}"
    # The last lesson of a module stays put: the knowledge check comes next.
    response = client.post(f"{BASE}/{SF}/done", data={"then": "next"})
    assert response.headers["Location"] == f"{BASE}/{SF}#lesson-end"
    assert done_keys(app, uid) == {UR, SF}


def test_mark_done_needs_enrolment(app, client, login_as):
    login_as()
    response = client.post(f"{BASE}/{UR}/done")
    assert response.status_code == 400
    assert "Enrol in this course first." in text(response)
    assert count(app, LessonProgress) == 0


def test_mark_done_needs_sign_in(app, client):
    response = client.post(f"{BASE}/{UR}/done")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert count(app, LessonProgress) == 0


def test_resume_where_i_left_off(app, client, login_as):
    uid = login_as()
    assert client.get(f"{BASE}/resume").headers["Location"] == f"{BASE}/"   # not enrolled
    enrol(client)
    assert client.get(f"{BASE}/resume").headers["Location"] == f"{BASE}/{UR}"
    client.get(f"{BASE}/{SF}")
    assert enrolments(app, uid)[0].last_lesson_key == SF
    assert client.get(f"{BASE}/resume").headers["Location"] == f"{BASE}/{SF}"
    client.post(f"{BASE}/{SF}/done")
    assert client.get(f"{BASE}/resume").headers["Location"] == f"{BASE}/{CE}"


def test_resume_needs_sign_in(client):
    assert "/auth/login" in client.get(f"{BASE}/resume").headers["Location"]


def test_my_learning(app, client, login_as):
    login_as()
    html = text(client.get("/courses/mine"))
    assert "You are not enrolled in any course yet." in html
    enrol(client)
    client.post(f"{BASE}/{UR}/done")
    client.post(f"{BASE}/{SF}/done")
    html = text(client.get("/courses/mine"))
    assert "Field basics: counting people who move" in html
    assert 'value="33"' in html                                        # 2 of 6 steps
    assert f'href="{BASE}/resume"' in html


def test_my_learning_needs_sign_in(client):
    assert "/auth/login" in client.get("/courses/mine").headers["Location"]


def test_my_learning_shows_only_my_courses(app, client, login_as, make_user):
    from app.courses import services
    from app.courses.catalogue import catalogue

    other = make_user()
    with app.app_context():
        from app.auth.models import User

        services.enrol(db.session.get(User, other), catalogue().get("field-basics"))
        db.session.commit()
    login_as()
    assert "You are not enrolled in any course yet." in text(client.get("/courses/mine"))


# --- the query budget of a lesson page -------------------------------------------------

def test_a_lesson_view_needs_at_most_four_sql_statements(app, client, login_as):
    login_as()
    enrol(client)
    client.post(f"{BASE}/{UR}/done")
    with app.app_context():
        engine = db.engine
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for url in (f"{BASE}/{SF}", f"{BASE}/{SF}", f"{BASE}/{UR}"):
            statements.clear()
            response = client.get(url)
            assert response.status_code == 200
            assert len(statements) <= 4, "\n".join(statements)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # Reading no lesson text from the database: only the user and the enrolment.
    assert not any("course_versions" in s for s in statements)


# --- handouts ------------------------------------------------------------------------

@pytest.fixture
def fake_renderer(app, tmp_path, monkeypatch):
    """Count handout renderings without running WeasyPrint."""
    monkeypatch.setitem(app.config, "HANDOUT_CACHE_DIR", str(tmp_path / "handouts"))
    calls = []

    def render(course, edition, module):
        calls.append((edition.language, module.slug if module else None))
        return b"%PDF-1.7 fake " + repr(calls[-1]).encode()

    monkeypatch.setattr(handouts, "_render", render)
    return calls


def test_handout_is_rendered_once_then_served_from_the_cache(app, client, fake_renderer,
                                                            tmp_path):
    first = client.get(f"{BASE}/handout.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == b"%PDF-1.7 fake ('en', None)"
    second = client.get(f"{BASE}/handout.pdf")
    assert second.data == first.data
    assert fake_renderer == [("en", None)]                      # not rendered again
    cached = list((tmp_path / "handouts").glob("*.pdf"))
    assert [p.name for p in cached] == [
        f"field-basics-{app.extensions['catalogue'].get('field-basics').content_hash[:12]}"
        "-en.pdf"]
    # Conditional request: the browser's copy is still good.
    etag = second.headers["ETag"]
    assert second.headers["Cache-Control"] == "public, max-age=3600"
    revalidated = client.get(f"{BASE}/handout.pdf", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert fake_renderer == [("en", None)]


def test_handouts_per_module_and_language(client, fake_renderer):
    assert client.get(f"{BASE}/counting/handout.pdf").data == \
        b"%PDF-1.7 fake ('en', 'counting')"
    client.get(f"{BASE}/counting/handout.pdf")
    client.set_cookie("lang", "fr")
    assert client.get(f"{BASE}/handout.pdf").data == b"%PDF-1.7 fake ('fr', None)"
    # Spanish has no file at all: it is the English edition, already cached.
    client.set_cookie("lang", "es")
    assert client.get(f"{BASE}/counting/handout.pdf").data == \
        b"%PDF-1.7 fake ('en', 'counting')"
    assert fake_renderer == [("en", "counting"), ("fr", None)]
    assert client.get(f"{BASE}/nope/handout.pdf").status_code == 404
    assert len(fake_renderer) == 2


@pytest.mark.pdf
def test_handout_pdf_is_a_real_pdf(app, client, tmp_path, monkeypatch):
    from io import BytesIO

    from pypdf import PdfReader

    monkeypatch.setitem(app.config, "HANDOUT_CACHE_DIR", str(tmp_path))
    whole = client.get(f"{BASE}/handout.pdf")
    assert whole.status_code == 200 and whole.data.startswith(b"%PDF")
    words = " ".join(page.extract_text() for page in PdfReader(BytesIO(whole.data)).pages)
    for title in ("Field basics", "Usual residence", "Stocks and flows", "The census"):
        assert title in words
    module = client.get(f"{BASE}/sources/handout.pdf")
    assert module.status_code == 200 and module.data.startswith(b"%PDF")
    words = " ".join(page.extract_text() for page in PdfReader(BytesIO(module.data)).pages)
    assert "The census" in words and "Stocks and flows" not in words


# --- media ---------------------------------------------------------------------------

def test_media_file(client):
    response = client.get(f"{BASE}/media/bars.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data == (FIXTURES / "field-basics" / "media" / "bars.svg").read_bytes()
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "max-age=86400" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", [
    "missing.svg", "../course.yaml", "..%2Fcourse.yaml", "%2e%2e/course.yaml",
    "../modules/sources/quiz.yaml", "..%2F..%2Ffield-basics%2Fcourse.yaml",
    "/etc/passwd", "%2Fetc%2Fpasswd", "bars.svg/../../course.yaml", "BARS.SVG",
])
def test_media_outside_the_list_is_404(client, path):
    response = client.get(f"{BASE}/media/{path}", follow_redirects=True)
    assert response.status_code == 404, path
    assert b"pass_mark" not in response.data and b"answer:" not in response.data


# --- flask courses validate | import | report ------------------------------------------

def test_cli_validate_good_content(runner):
    result = runner.invoke(args=["courses", "validate", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "ok  field-basics  (3 lessons, 7 questions)" in result.output


def test_cli_validate_uses_the_configured_folder(runner):
    result = runner.invoke(args=["courses", "validate"])
    assert result.exit_code == 0 and "ok  field-basics" in result.output


def test_cli_validate_reports_file_and_line(runner, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURES / "field-basics", root / "good-course")
    bad = root / "field-basics"
    shutil.copytree(FIXTURES / "field-basics", bad)
    course_yaml = bad / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("level: introductory",
                                                           "level: expert"))
    quiz = bad / "modules" / "sources" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("scoring: partial", "scoring: some"))
    result = runner.invoke(args=["courses", "validate", str(root)])
    assert result.exit_code == 1
    # A broken course.yaml stops that course's checks there; its neighbour is fine.
    assert result.stderr.splitlines() == [
        "field-basics/course.yaml:5: 'level' must be one of introductory, intermediate, "
        "advanced",
        "1 problem(s) in 1 course(s).",
    ]
    assert result.stdout.splitlines() == ["ok  good-course  (3 lessons, 7 questions)"]
    # Fix course.yaml: the quiz problem shows next, with its own line.
    course_yaml.write_text(course_yaml.read_text().replace("level: expert",
                                                           "level: introductory"))
    result = runner.invoke(args=["courses", "validate", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "field-basics/modules/sources/quiz.yaml:5: question 'core-topics': scoring must be "
        "all_or_nothing or partial",
        "1 problem(s) in 1 course(s).",
    ]


def test_cli_validate_missing_folder(runner, tmp_path):
    result = runner.invoke(args=["courses", "validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_cli_import_records_each_version_once(app, runner, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURES / "field-basics", root / "field-basics")
    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"new   field-basics  test-1  [0-9a-f]{12}\n", result.stdout)
    again = runner.invoke(args=["courses", "import", str(root)])
    assert again.exit_code == 0
    assert again.stdout == result.stdout.replace("new ", "same")
    with app.app_context():
        versions = db.session.scalars(select(CourseVersion)).all()
        assert [(v.course_slug, v.version_label, v.lessons, v.questions, v.title)
                for v in versions] == [
            ("field-basics", "test-1", 3, 7, "Field basics: counting people who move")]
        first_hash = versions[0].content_hash
    # An edit is a new version; the old one stays recorded.
    census = root / "field-basics" / "modules" / "sources" / "census.md"
    census.write_text(census.read_text() + "\nA new sentence.\n")
    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 0 and "new " in result.stdout
    with app.app_context():
        hashes = set(db.session.scalars(select(CourseVersion.content_hash)))
    assert len(hashes) == 2 and first_hash in hashes


def test_cli_import_refuses_bad_content(app, runner, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURES / "field-basics", root / "good-course")
    bad = root / "field-basics"
    shutil.copytree(FIXTURES / "field-basics", bad)
    (bad / "modules" / "sources" / "census.md").write_text("no front matter\n")
    result = runner.invoke(args=["courses", "import", str(root)])
    assert result.exit_code == 1
    assert "field-basics/modules/sources/census.md:1: a lesson must start with a front " \
           "matter block" in result.stderr
    assert "Nothing imported" in result.stderr
    assert count(app, CourseVersion) == 0          # not even the good course


def test_cli_report(app, runner):
    result = runner.invoke(args=["courses", "report", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    lessons = app.extensions["catalogue"].get("field-basics").default.lessons
    words = sum(lesson.words for lesson in lessons)
    assert words == 84         # 59 + 15 + 10: the removed <script> text is not counted
    assert result.stdout.splitlines() == [
        "field-basics: Field basics: counting people who move",
        "  level introductory, 1 hours, languages: en",
        f"  modules 2, lessons 3, words {words}",
        "  questions 7: multiple_choice 1, numeric 1, short_text 1, single_choice 2, "
        "true_false 2",
        "  quizzes: counting 3, sources 2, final 2",
        "  questions per objective: counting 4, sources 3",
    ]
