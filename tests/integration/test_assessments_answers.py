"""Answering per domain, progress, evidence files, and no lost update."""

import io
from pathlib import Path

from sqlalchemy import func, select

from app.assessments.models import Answer, EvidenceFile
from app.extensions import db
from tests.fixtures.assessments.helpers import (
    DOMAIN,
    Q1,
    Q2,
    answer_page,
    client_for,
    key,
    make_round,
)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def answers(app, round_id):
    with app.app_context():
        return {(a.institution, a.question_id): a for a in db.session.scalars(
            select(Answer).where(Answer.round_id == round_id)).unique()}


def post(client, round_id, fields, domain=DOMAIN, **extra):
    return client.post(f"/assessments/{round_id}/answer/{domain}",
                       data={**fields, **extra}, content_type="multipart/form-data")


def test_a_contributor_answers_a_domain_and_progress_shows_it(app, make_user):
    setup = make_round(app, make_user)
    nso = client_for(app, setup.email("nso"))
    overview = nso.get(f"/assessments/{setup.round_id}/").get_data(as_text=True)
    assert "Questions for National statistical office" in overview
    fields = answer_page(nso, setup.round_id)
    assert fields[f"{key(Q1)}__version"] == "0"
    fields.update({f"{key(Q1)}__choice": "2",
                   f"{key(Q1)}__links": "https://example.org/law\nhttp://example.org/decree",
                   f"{key(Q1)}__note": "Article 4 of the statistics law.",
                   f"{key(Q1)}__target_level": "4", f"{key(Q1)}__target_year": "2028",
                   f"{key(Q2)}__choice": "not_applicable"})
    response = post(nso, setup.round_id, fields)
    assert response.status_code == 302
    saved = answers(app, setup.round_id)
    first = saved[("nso", Q1)]
    assert (first.response, first.level, first.target_level, first.target_year) == (
        "level", 2, 4, 2028)
    assert first.evidence_links == ["https://example.org/law", "http://example.org/decree"]
    assert first.updated_by_id == setup.uid("nso") and first.version == 1
    assert first.domain == DOMAIN and first.source == "web"
    assert saved[("nso", Q2)].response == "not_applicable"
    page = nso.get(f"/assessments/{setup.round_id}/answer/{DOMAIN}").get_data(as_text=True)
    assert "2 of 2 questions answered" in page and "Last saved by" in page
    overview = nso.get(f"/assessments/{setup.round_id}/").get_data(as_text=True)
    assert "2 / 2" in overview            # legal framework, NSO
    # A colleague of the same institution sees (and shares) the same answer.
    colleague = client_for(app, setup.email("nso2"))
    assert answer_page(colleague, setup.round_id)[f"{key(Q1)}__choice"] == "2"
    # Another institution starts from scratch.
    interior = client_for(app, setup.email("interior"))
    assert answer_page(interior, setup.round_id)[f"{key(Q1)}__choice"] == ""


def test_one_invalid_answer_means_nothing_is_saved(app, make_user):
    setup = make_round(app, make_user)
    nso = client_for(app, setup.email("nso"))
    fields = answer_page(nso, setup.round_id)
    fields.update({f"{key(Q1)}__choice": "3",
                   f"{key(Q2)}__choice": "2",
                   f"{key(Q2)}__links": "javascript:alert(1)",
                   f"{key(Q2)}__note": "n" * 2001,
                   f"{key(Q2)}__target_year": "1900"})
    response = post(nso, setup.round_id, fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "nothing was saved" in html
    assert "is not a web link" in html and "at most 2000 characters" in html
    assert "between 2000 and 2100" in html
    assert 'aria-invalid="true"' in html
    assert answers(app, setup.round_id) == {}
    # A level outside 0-4 sent by hand is refused too.
    fields = answer_page(nso, setup.round_id)
    fields[f"{key(Q1)}__choice"] = "7"
    assert post(nso, setup.round_id, fields).status_code == 400
    assert answers(app, setup.round_id) == {}


def test_routed_domains_only_and_only_while_open(app, make_user):
    setup = make_round(app, make_user, routing={"legal-framework": ["interior"],
                                                "coordination": ["nso"], "dissemination": []})
    nso = client_for(app, setup.email("nso"))
    assert nso.get(f"/assessments/{setup.round_id}/answer/{DOMAIN}").status_code == 403
    assert post(nso, setup.round_id, {f"{key(Q1)}__choice": "3"}).status_code == 403
    assert nso.get(f"/assessments/{setup.round_id}/answer/coordination").status_code == 200
    setup2 = make_round(app, make_user, label="2027", status="draft")
    nso2 = client_for(app, setup2.email("nso"))
    page = nso2.get(f"/assessments/{setup2.round_id}/answer/{DOMAIN}")
    assert page.status_code == 200 and "read-only" in page.get_data(as_text=True)
    assert post(nso2, setup2.round_id, {f"{key(Q1)}__choice": "3"}).status_code == 403
    assert answers(app, setup2.round_id) == {}


def test_two_browsers_saving_the_same_answer_never_lose_an_update(app, make_user):
    setup = make_round(app, make_user)
    rid = setup.round_id
    first, second = client_for(app, setup.email("nso")), client_for(app, setup.email("nso2"))
    form_one, form_two = answer_page(first, rid), answer_page(second, rid)   # both at version 0

    form_one[f"{key(Q1)}__choice"] = "2"
    form_one[f"{key(Q1)}__comment"] = "First browser"
    assert post(first, rid, form_one).status_code == 302

    form_two[f"{key(Q1)}__choice"] = "4"
    form_two[f"{key(Q1)}__comment"] = "Second browser"
    form_two[f"{key(Q2)}__choice"] = "1"            # not in conflict, but not saved either
    response = post(second, rid, form_two)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "changed by someone else" in html and "Saved answer (theirs)" in html
    assert "First browser" in html and "Second browser" in html
    assert f'name="{key(Q1)}__resolution" value="theirs" checked' in html
    saved = answers(app, rid)
    assert saved[("nso", Q1)].level == 2 and saved[("nso", Q1)].comment == "First browser"
    assert ("nso", Q2) not in saved                  # nothing written at all

    # The conflict page carries the new version; choosing "mine" overwrites deliberately.
    conflict_form = {**form_two, f"{key(Q1)}__version": "1",
                     f"{key(Q1)}__base": _hidden(html, f"{key(Q1)}__base"),
                     f"{key(Q1)}__resolution": "mine"}
    assert post(second, rid, conflict_form).status_code == 302
    saved = answers(app, rid)
    assert saved[("nso", Q1)].level == 4 and saved[("nso", Q1)].version == 2
    assert saved[("nso", Q1)].updated_by_id == setup.uid("nso2")
    assert saved[("nso", Q2)].level == 1

    # The first browser, still on its old page, now gets the conflict in turn…
    form_one[f"{key(Q1)}__choice"] = "3"
    again = post(first, rid, form_one)
    assert again.status_code == 409
    # …and "keep theirs" leaves the saved answer as it is.
    keep = {**form_one, f"{key(Q1)}__version": "2",
            f"{key(Q1)}__base": _hidden(again.get_data(as_text=True), f"{key(Q1)}__base"),
            f"{key(Q1)}__resolution": "theirs"}
    assert post(first, rid, keep).status_code == 302
    assert answers(app, rid)[("nso", Q1)].level == 4


def test_an_untouched_question_is_not_a_conflict(app, make_user):
    """Two colleagues editing different questions of the same domain both win."""
    setup = make_round(app, make_user)
    rid = setup.round_id
    first, second = client_for(app, setup.email("nso")), client_for(app, setup.email("nso2"))
    form_one, form_two = answer_page(first, rid), answer_page(second, rid)
    form_one[f"{key(Q1)}__choice"] = "3"
    form_two[f"{key(Q2)}__choice"] = "1"
    assert post(first, rid, form_one).status_code == 302
    assert post(second, rid, form_two).status_code == 302
    saved = answers(app, rid)
    assert saved[("nso", Q1)].level == 3 and saved[("nso", Q2)].level == 1


def _hidden(html: str, name: str) -> str:
    import re

    return re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def test_evidence_files_are_checked_stored_and_served_to_members_only(app, make_user):
    setup = make_round(app, make_user)
    rid = setup.round_id
    nso = client_for(app, setup.email("nso"))
    fields = answer_page(nso, rid)
    fields[f"{key(Q1)}__choice"] = "3"
    fields[f"{key(Q1)}__files"] = [(io.BytesIO(PDF), "../Loi statistique.pdf")]
    assert post(nso, rid, fields).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(EvidenceFile))
        assert row.original_name == "Loi statistique.pdf" and row.institution == "nso"
        stored = Path(app.config["INSTANCE_PATH"]) / "uploads" / "assessments" / row.stored_name
        assert stored.read_bytes() == PDF and "Loi" not in row.stored_name
        file_id = row.id
    url = f"/assessments/{rid}/files/{file_id}"
    download = nso.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")
    # Facilitators see every institution's files; another institution's contributor does not.
    assert client_for(app, setup.email("facilitator")).get(url).status_code == 200
    assert client_for(app, setup.email("interior")).get(url).status_code == 404
    outsider = make_round(app, make_user, country="SN")
    assert client_for(app, outsider.email("focal")).get(url).status_code == 404
    assert nso.get(f"/assessments/{outsider.round_id}/files/{file_id}").status_code == 404

    # Removing it deletes the row, and the stored file once committed.
    fields = answer_page(nso, rid)
    fields[f"{key(Q1)}__remove"] = str(file_id)
    assert post(nso, rid, fields).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    assert not stored.exists()


def test_bad_files_are_refused_and_nothing_is_saved(app, make_user):
    setup = make_round(app, make_user)
    rid = setup.round_id
    nso = client_for(app, setup.email("nso"))
    for name, data, message in [
            ("virus.exe", b"MZ\x90\x00", "not accepted"),
            ("law.pdf", b"MZ\x90\x00 pretending", "not a real PDF"),
            ("big.pdf", PDF + b"0" * 2048, "larger than")]:
        app.config["ASSESSMENT_UPLOAD_MAX_BYTES"] = 1024
        try:
            fields = answer_page(nso, rid)
            fields[f"{key(Q1)}__choice"] = "3"
            fields[f"{key(Q1)}__files"] = [(io.BytesIO(data), name)]
            response = post(nso, rid, fields)
        finally:
            app.config["ASSESSMENT_UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert answers(app, rid) == {}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    folder = Path(app.config["INSTANCE_PATH"]) / "uploads" / "assessments"
    assert not folder.exists() or not any(folder.iterdir())


def test_the_answer_page_issues_a_bounded_number_of_queries(app, make_user):
    from sqlalchemy import event

    setup = make_round(app, make_user)
    nso = client_for(app, setup.email("nso"))
    fields = answer_page(nso, setup.round_id)
    fields.update({f"{key(Q1)}__choice": "3", f"{key(Q2)}__choice": "2"})
    post(nso, setup.round_id, fields)
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        nso.get(f"/assessments/{setup.round_id}/answer/{DOMAIN}")
        answer_page_queries = len(statements)
        statements.clear()
        nso.get(f"/assessments/{setup.round_id}/")
        overview_queries = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert answer_page_queries <= 6 and overview_queries <= 6


def test_a_save_landing_between_read_and_write_is_refused(app, make_user, monkeypatch):
    """The UPDATE carries the version read: if another save commits in between,
    nothing is written and the person is told (no silent overwrite)."""
    from app.assessments import answers as service
    from app.assessments.rules import RawAnswer

    setup = make_round(app, make_user)
    nso = client_for(app, setup.email("nso"))
    fields = answer_page(nso, setup.round_id)
    fields[f"{key(Q1)}__choice"] = "1"
    post(nso, setup.round_id, fields)
    real_write = service.write_answer

    def write_after_someone_else(round_, institution, question, values, row, user, source):
        # Someone else's save commits right now (a plain UPDATE, as another process would).
        db.session.execute(Answer.__table__.update().where(Answer.id == row.id).values(
            level=4, version=row.version + 1))
        return real_write(round_, institution, question, values, row, user, source)

    monkeypatch.setattr(service, "write_answer", write_after_someone_else)
    with app.app_context():
        from app.auth.models import User

        user = db.session.get(User, setup.uid("nso2"))
        submission = service.Submission(RawAnswer(choice="2"), version=1, base="")
        try:
            service.save_domain(user, setup.round_id, DOMAIN, {Q1: submission})
        except service.ConcurrentSave:
            db.session.rollback()
        else:
            raise AssertionError("the concurrent save was not detected")
    assert answers(app, setup.round_id)[("nso", Q1)].level == 1
