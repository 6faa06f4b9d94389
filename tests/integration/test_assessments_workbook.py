"""The offline questionnaire: download, fill, upload, preview, confirm."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.assessments.models import Answer, WorkbookImport
from app.assessments.workbook import COL, QUESTIONS
from app.extensions import db
from tests.fixtures.assessments.helpers import (
    Q1,
    Q2,
    answer_page,
    client_for,
    fill_workbook,
    key,
    make_round,
)


def download(client, round_id) -> bytes:
    response = client.get(f"/assessments/{round_id}/workbook.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def upload(client, round_id, data: bytes, name="answers.xlsx"):
    return client.post(f"/assessments/{round_id}/workbook/upload",
                       data={"workbook": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def saved(app, round_id):
    with app.app_context():
        return {(a.institution, a.question_id): a for a in db.session.scalars(
            select(Answer).where(Answer.round_id == round_id)).unique()}


def test_round_trip(app, make_user):
    setup = make_round(app, make_user)
    rid = setup.round_id
    labour = client_for(app, setup.email("labour"))
    data = download(labour, rid)
    wb = load_workbook(io.BytesIO(data))
    ids = [c.value for c in wb[QUESTIONS]["A"][1:]]
    assert ids == ["statistics-law-mandate", "admin-data-access", "working-group",
                   "common-definitions", "release-calendar"]
    assert "Look at the statistics law" in wb[QUESTIONS].cell(2, COL["guidance"]).value
    filled = fill_workbook(data, {
        Q1: {"answer": "3 – Meets", "links": "https://example.org/law", "target_year": 2029},
        Q2: {"answer": "Don't know", "comment": "Ask the interior ministry"},
        "working-group": {"answer": 1},
    })
    response = upload(labour, rid, filled)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert saved(app, rid) == {}                                 # nothing written yet
    html = labour.get(preview_url).get_data(as_text=True)
    assert "New: 3" in html and "Conflicts: 0" in html and "Unchanged: 2" in html
    fingerprint = re.search(r'name="preview" value="([^"]+)"', html).group(1)
    confirm = preview_url + "/confirm"
    response = labour.post(confirm, data={"preview": fingerprint})
    assert response.status_code == 302
    answers = saved(app, rid)
    assert answers[("labour", Q1)].level == 3 and answers[("labour", Q1)].source == "workbook"
    assert answers[("labour", Q1)].evidence_links == ["https://example.org/law"]
    assert answers[("labour", Q1)].target_year == 2029
    assert answers[("labour", Q2)].response == "dont_know"
    assert answers[("labour", "working-group")].level == 1
    assert len(answers) == 3
    # The same upload cannot be confirmed twice.
    assert labour.post(confirm, data={"preview": fingerprint}).status_code == 400
    # The answer page shows where the answers came from.
    page = labour.get(f"/assessments/{rid}/answer/legal-framework").get_data(as_text=True)
    assert "from the offline workbook" in page


def test_a_workbook_from_another_round_or_institution_is_refused(app, make_user):
    first = make_round(app, make_user)
    second = make_round(app, make_user, label="2027")
    labour_first = client_for(app, first.email("labour"))
    other_round = fill_workbook(download(labour_first, first.round_id), {Q1: {"answer": 2}})
    labour_second = client_for(app, second.email("labour"))
    response = upload(labour_second, second.round_id, other_round)
    assert response.status_code == 400
    assert "another self-assessment round" in response.get_data(as_text=True)
    nso_first = client_for(app, first.email("nso"))
    response = upload(nso_first, first.round_id, other_round)
    assert response.status_code == 400 and "another institution" in response.get_data(
        as_text=True)
    _assert_nothing_written(app)


def test_edited_question_ids_and_bad_cells_are_refused_with_every_problem(app, make_user):
    setup = make_round(app, make_user)
    labour = client_for(app, setup.email("labour"))
    filled = fill_workbook(download(labour, setup.round_id), {
        Q1: {"question_id": "statistics-law-mandate-v2", "answer": 2},
        Q2: {"answer": "7"},
        "working-group": {"links": "www.example.org", "target_year": 1800},
    })
    response = upload(labour, setup.round_id, filled)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "statistics-law-mandate-v2" in html and "must not be edited" in html
    assert "Cell F3" in html and "Cell G4" in html and "Cell K4" in html
    assert "nothing was saved" in html
    _assert_nothing_written(app)


def test_tampered_identification_and_not_a_workbook(app, make_user):
    setup = make_round(app, make_user)
    labour = client_for(app, setup.email("labour"))
    wb = load_workbook(io.BytesIO(download(labour, setup.round_id)))
    meta = wb["Meta"]
    for row in meta.iter_rows():
        if row[0].value == "institution":
            row[1].value = "nso"
    out = io.BytesIO()
    wb.save(out)
    nso = client_for(app, setup.email("nso"))
    response = upload(nso, setup.round_id, out.getvalue())
    assert response.status_code == 400 and "identification was changed" in response.get_data(
        as_text=True)
    response = upload(labour, setup.round_id, b"%PDF-1.4 not a workbook", "answers.xlsx")
    assert response.status_code == 400 and "not a real XLSX" in response.get_data(as_text=True)
    response = upload(labour, setup.round_id, b"anything", "answers.csv")
    assert response.status_code == 400
    _assert_nothing_written(app)


def _assert_nothing_written(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
        assert db.session.scalar(select(func.count()).select_from(WorkbookImport)) == 0


def test_conflicts_with_answers_given_online_since_the_download(app, make_user):
    setup = make_round(app, make_user)
    rid = setup.round_id
    labour = client_for(app, setup.email("labour"))
    data = download(labour, rid)                           # nothing answered yet
    # Meanwhile a colleague answers online.
    colleague = client_for(app, setup.email("labour"))
    fields = answer_page(colleague, rid)
    fields.update({f"{key(Q1)}__choice": "1", f"{key(Q2)}__choice": "2"})
    colleague.post(f"/assessments/{rid}/answer/legal-framework", data=fields)
    # The workbook changes Q1 too (conflict) but leaves Q2 alone (kept), adds working-group.
    filled = fill_workbook(data, {Q1: {"answer": "4"}, "working-group": {"answer": "2"}})
    response = upload(labour, rid, filled)
    preview_url = response.headers["Location"]
    html = labour.get(preview_url).get_data(as_text=True)
    assert "Conflicts: 1" in html and "New: 1" in html
    assert 'name="use_workbook" value="statistics-law-mandate"' in html
    fingerprint = re.search(r'name="preview" value="([^"]+)"', html).group(1)

    # If the online answers change again before confirming, the preview must be seen again.
    fields = answer_page(colleague, rid)
    fields[f"{key(Q2)}__choice"] = "3"
    colleague.post(f"/assessments/{rid}/answer/legal-framework", data=fields)
    response = labour.post(preview_url + "/confirm", data={"preview": fingerprint})
    assert response.status_code == 302 and response.headers["Location"].endswith(preview_url)
    assert ("labour", "working-group") not in saved(app, rid)

    html = labour.get(preview_url).get_data(as_text=True)
    fingerprint = re.search(r'name="preview" value="([^"]+)"', html).group(1)
    # Confirm without ticking the conflict: the online answer stays.
    labour.post(preview_url + "/confirm", data={"preview": fingerprint})
    answers = saved(app, rid)
    assert answers[("labour", Q1)].level == 1 and answers[("labour", Q2)].level == 3
    assert answers[("labour", "working-group")].level == 2

    # A second upload that ticks the conflict overwrites deliberately.
    response = upload(labour, rid, filled)
    preview_url = response.headers["Location"]
    html = labour.get(preview_url).get_data(as_text=True)
    fingerprint = re.search(r'name="preview" value="([^"]+)"', html).group(1)
    labour.post(preview_url + "/confirm", data={"preview": fingerprint,
                                                "use_workbook": Q1})
    assert saved(app, rid)[("labour", Q1)].level == 4


def test_discard_and_other_peoples_uploads(app, make_user):
    setup = make_round(app, make_user)
    rid = setup.round_id
    labour = client_for(app, setup.email("labour"))
    response = upload(labour, rid, fill_workbook(download(labour, rid), {Q1: {"answer": 2}}))
    preview_url = response.headers["Location"]
    # Nobody else may look at or confirm someone's upload.
    other = client_for(app, setup.email("facilitator"))
    assert other.get(preview_url).status_code in (403, 404)
    assert other.post(preview_url + "/confirm", data={"preview": "x"}).status_code in (403, 404)
    assert labour.post(preview_url + "/discard").status_code == 302
    assert labour.get(preview_url).status_code == 400
    assert saved(app, rid) == {}
