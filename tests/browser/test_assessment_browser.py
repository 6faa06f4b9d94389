"""A country self-assessment in the browser: a focal point creates a round on
the fixture framework "mini", invites three institutions and a facilitator and
opens it; two institutions answer online, the third offline in the XLSX
workbook; the facilitator sees the disagreement and records consensus; the
focal point validates, reads the results and downloads the national data plan.
Also: two colleagues saving the same answer at once get the conflict page."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD, outbox_messages
from tests.fixtures.assessments.helpers import fill_workbook, make_round

pytestmark = pytest.mark.browser
ROUND = "Jordan 2026"
LEGAL, COORDINATION, DISSEMINATION = (
    "1. Legal and institutional framework", "2. Coordination and standards",
    "3. Dissemination and use")
# Question text as the pages show it (fieldset legends and review headings).
MANDATE = re.compile("mandate the NSO to produce")
ACCESS = re.compile("pass microdata to the NSO")
WORKING_GROUP = re.compile("inter-agency working group")
DEFINITIONS = re.compile("UN definitions of international migrants")
CALENDAR = re.compile("published to a release calendar")

PEOPLE = {   # key: (e-mail, full name, role in the round, institution)
    "nso": ("nadia@nso.example.org", "Nadia Nso", "contributor", "nso"),
    "interior": ("ivan@interior.example.org", "Ivan Interior", "contributor", "interior"),
    "labour": ("layla@labour.example.org", "Layla Labour", "contributor", "labour"),
    "facilitator": ("farid@planning.example.org", "Farid Facilitator", "facilitator",
                    "planning"),
}


def invitation_path(live_app, email: str) -> str:
    for message in reversed(outbox_messages(live_app)):
        if message["To"] == email:
            link = re.search(r"https?://\S+/assessments/invitations/\S+",
                             message.get_content())
            if link:
                return urlsplit(link.group(0)).path
    raise AssertionError(f"no invitation e-mailed to {email}")


def round_nav(page):
    return page.get_by_role("navigation", name="This round")


def answer_domain(page, domain: str, levels: dict) -> None:
    """From the round overview: open a domain, choose a level per question, save."""
    page.get_by_role("region", name="Domains your institution answers").get_by_role(
        "link", name=domain).click()
    expect(page.get_by_role("heading", level=1, name=domain)).to_be_visible()
    for question, level in levels.items():
        page.get_by_role("group", name=question).get_by_label("Answer", exact=True) \
            .select_option(level)
    page.get_by_role("button", name="Save this domain").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    page.get_by_role("link", name="Back to the round").click()


def record_consensus(page, domain: str, decisions: dict) -> None:
    """From the review index: open a domain and record its agreed levels."""
    round_nav(page).get_by_role("link", name="Answers and consensus").click()
    page.get_by_role("region", name="Domains").get_by_role("link", name=domain).click()
    expect(page.get_by_role("heading", level=1, name=domain)).to_be_visible()
    for question, (level, why) in decisions.items():
        block = page.get_by_role("region", name=question)
        block.get_by_label("Agreed level").select_option(level)
        block.get_by_label("Justification").fill(why)
    page.get_by_role("button", name="Save the consensus for this domain").click()
    expect(page.get_by_text("The consensus levels are saved.")).to_be_visible()


def test_a_round_from_invitations_to_the_national_data_plan(new_page, make_user, live_app,
                                                            tmp_path):
    make_user("focal_point", email="fatima@planning.example.org", full_name="Fatima Focal",
              locale="en")
    for email, name, _role, _institution in PEOPLE.values():
        make_user("learner", email=email, full_name=name, locale="en")

    # --- the focal point creates the round, invites, opens it ---------------------------------
    focal = new_page(axe=True)
    sign_in(focal, "fatima@planning.example.org", PASSWORD)
    focal.goto("/assessments/")
    focal.get_by_role("link", name="Start a new round").click()
    focal.get_by_label("Country").select_option("JO")
    focal.get_by_label("Round", exact=True).fill("2026")
    focal.get_by_label("Framework").select_option("mini")
    focal.get_by_label("Your institution").select_option("planning")
    focal.get_by_role("button", name="Create the round").click()
    expect(focal.get_by_role("heading", level=1, name=f"Members of {ROUND}")).to_be_visible()

    invite = focal.get_by_role("region", name="Invite someone")
    for email, _name, role, institution in PEOPLE.values():
        invite.get_by_label("E-mail address of the person to invite").fill(email)
        invite.get_by_label("Role in the round").select_option(role)
        invite.get_by_label("Institution").select_option(institution)
        invite.get_by_role("button", name="Send the invitation").click()
        expect(focal.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    members = focal.get_by_role("region", name="Members of the round")
    expect(members.get_by_text("Invited", exact=True)).to_have_count(4)
    assert {m["To"] for m in outbox_messages(live_app)} == {
        p[0] for p in PEOPLE.values()}

    round_nav(focal).get_by_role("link", name="Overview").click()
    focal.get_by_role("button", name="Open the round for answers").click()
    expect(focal.get_by_text("The round is open for answers.")).to_be_visible()

    # --- everyone accepts through the e-mailed link ---------------------------------------------
    pages = {}
    for key, (email, _name, _role, _institution) in PEOPLE.items():
        page = pages[key] = new_page(axe=key in ("nso", "facilitator"))
        sign_in(page, email, PASSWORD)
        page.goto(invitation_path(live_app, email))
        page.get_by_role("button", name="Accept the invitation").click()
        expect(page.get_by_text("Welcome to the round.")).to_be_visible()
        expect(page.get_by_role("heading", level=1, name=ROUND)).to_be_visible()

    # --- two institutions answer online ---------------------------------------------------------
    nso, interior = pages["nso"], pages["interior"]
    nso.get_by_role("region", name="Domains your institution answers").get_by_role(
        "link", name=LEGAL).click()
    expect(nso.get_by_text("Answering for: National statistical office.")).to_be_visible()
    assert_accessible(nso, "the answer form")
    nso.get_by_role("group", name=MANDATE).get_by_label("Evidence links").fill(
        "https://example.org/statistics-law")
    nso.get_by_role("link", name="Back to the round").click()
    answer_domain(nso, LEGAL, {MANDATE: "3", ACCESS: "2"})
    answer_domain(nso, COORDINATION, {WORKING_GROUP: "2", DEFINITIONS: "1"})
    answer_domain(nso, DISSEMINATION, {CALENDAR: "3"})
    answer_domain(interior, LEGAL, {MANDATE: "1", ACCESS: "2"})    # 2 levels below the NSO
    answer_domain(interior, COORDINATION, {WORKING_GROUP: "2", DEFINITIONS: "2"})
    progress = interior.get_by_role("region", name="Domains your institution answers")
    expect(progress.get_by_role("row", name=LEGAL)).to_contain_text("2 / 2")

    # --- the third answers offline, in the workbook ---------------------------------------------
    labour = pages["labour"]
    with labour.expect_download() as info:
        labour.get_by_role("link", name="Download your institution's questionnaire (XLSX)") \
            .click()
    assert info.value.suggested_filename.endswith(".xlsx")
    filled = tmp_path / "labour-answers.xlsx"
    filled.write_bytes(fill_workbook(Path(info.value.path()).read_bytes(), {
        "working-group": {"answer": "3 – Meets", "links": "https://example.org/wg-minutes"},
        "common-definitions": {"answer": 1, "comment": "Only the NSO uses them."},
        "release-calendar": {"answer": "2 – Partially meets", "target_year": 2028},
    }))
    labour.get_by_role("link", name="Upload a completed questionnaire").click()
    labour.get_by_label("Completed workbook (.xlsx)").set_input_files(str(filled))
    labour.get_by_role("button", name="Check the workbook").click()
    expect(labour.get_by_role("heading", level=1, name="Check before saving")).to_be_visible()
    expect(labour.get_by_text("New: 3")).to_be_visible()
    expect(labour.get_by_text("Conflicts: 0")).to_be_visible()
    changes = labour.get_by_role("region", name="What the workbook changes")
    expect(changes.get_by_role("row", name=WORKING_GROUP)).to_contain_text("3 – Meets")
    labour.get_by_role("button", name="Confirm and save").click()
    expect(labour.get_by_text("The workbook is imported: 3 answer(s) saved.")).to_be_visible()

    focal.get_by_role("button", name="Close answering and review").click()
    expect(focal.get_by_text("Answering is closed: the round is in review.")).to_be_visible()

    # --- the facilitator sees the disagreement and records consensus ----------------------------
    facilitator = pages["facilitator"]
    round_nav(facilitator).get_by_role("link", name="Answers and consensus").click()
    domains = facilitator.get_by_role("region", name="Domains")
    expect(domains.get_by_role("row", name=LEGAL)).to_contain_text("1")
    domains.get_by_role("link", name=LEGAL).click()
    mandate = facilitator.get_by_role("region", name=MANDATE)
    expect(mandate.get_by_text("Disagreement: answers differ by 2 levels")).to_be_visible()
    answers = mandate.get_by_role("region", name=re.compile("Answers of each institution"))
    expect(answers.get_by_role("row", name="National statistical office")
           ).to_contain_text("3 – Meets")
    expect(answers.get_by_role("row", name="Interior / immigration")
           ).to_contain_text("1 – Requires further progress")
    expect(facilitator.get_by_role("region", name=ACCESS).get_by_text("Disagreement")
           ).to_have_count(0)
    assert_accessible(facilitator, "the review page")
    # A flagged question needs a justification: nothing is saved without it.
    mandate.get_by_label("Agreed level").select_option("2")
    facilitator.get_by_role("button", name="Save the consensus for this domain").click()
    expect(facilitator.get_by_role("region", name=MANDATE).get_by_text(
        "explain the agreed level")).to_be_visible()
    record_consensus(facilitator, LEGAL, {
        MANDATE: ("2", "The law names the NSO for censuses only; the decree is a draft."),
        ACCESS: ("3", "")})
    record_consensus(facilitator, COORDINATION, {WORKING_GROUP: ("2", ""),
                                                DEFINITIONS: ("1", "")})
    record_consensus(facilitator, DISSEMINATION, {CALENDAR: ("3", "")})
    round_nav(facilitator).get_by_role("link", name="Answers and consensus").click()
    for domain, agreed in ((LEGAL, "2 / 2"), (COORDINATION, "2 / 2"), (DISSEMINATION, "1 / 1")):
        expect(facilitator.get_by_role("region", name="Domains").get_by_role(
            "row", name=domain)).to_contain_text(agreed)

    # --- the focal point validates; the results ---------------------------------------------------
    focal.reload()
    focal.get_by_role("link", name="Validate the round").click()
    expect(focal.get_by_text("Every question has a consensus level.")).to_be_visible()
    focal.get_by_role("button", name="Validate and freeze the round").click()
    expect(focal.get_by_text("The round is validated.")).to_be_visible()
    expect(focal.get_by_role("heading", level=1, name=f"Results of {ROUND}")).to_be_visible()
    scores = focal.get_by_role("region", name="Domain scores")
    for domain, score in ((LEGAL, "2.33"), (COORDINATION, "1.50"), (DISSEMINATION, "3.00")):
        expect(scores.get_by_role("row", name=domain)).to_contain_text(score)
    expect(focal.get_by_role("region", name="Overall index")).to_contain_text(
        "2.3 of 4 · 57% of the maximum")          # (2 × 2.33 + 1.50 + 3.00) / 4
    for kind in ("radar", "bar"):
        chart = focal.get_by_role("img", name=f"Domain scores of {ROUND} ({kind} chart, 0 to 4)")
        expect(chart).to_be_visible()
        expect(chart.locator("title")).to_have_text(
            f"Domain scores of {ROUND} ({kind} chart, 0 to 4)")
    disagreements = focal.get_by_role(
        "region", name="Questions whose answers differ by 2 levels or more")
    flagged = disagreements.get_by_role("row", name=MANDATE)
    expect(flagged).to_contain_text("Interior / immigration: 1")
    expect(flagged).to_contain_text("National statistical office: 3")
    expect(focal.get_by_text("The law names the NSO for censuses only")).to_be_visible()
    assert_accessible(focal, "the results page")

    # --- the national data plan -------------------------------------------------------------------
    round_nav(focal).get_by_role("link", name="Data plan").click()
    expect(focal.get_by_role("heading", level=1, name="National migration data plan")
           ).to_be_visible()
    # Validation drafted the plan already; the focal point regenerates it from the results.
    focal.get_by_role("button", name="Refresh from the assessment").click()
    expect(focal.get_by_text("The plan is refreshed")).to_be_visible()
    with focal.expect_download() as info:
        focal.get_by_role("button", name="Word (DOCX, editable)").click()
    assert info.value.suggested_filename.endswith(".docx")
    document = Document(info.value.path())
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any(h.endswith("Action plan") for h in headings), headings
    with focal.expect_download() as info:
        focal.get_by_role("button", name="PDF (for signature)").click()
    assert info.value.suggested_filename.endswith(".pdf")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")


def test_two_colleagues_saving_the_same_answer_see_the_conflict(new_page, make_user, app):
    setup = make_round(app, make_user, members={"nso": ("contributor", "nso"),
                                                "nso2": ("contributor", "nso")})
    url = f"/assessments/{setup.round_id}/answer/legal-framework"
    first, second = new_page(), new_page(axe=True)
    for page, who in ((first, "nso"), (second, "nso2")):
        sign_in(page, setup.email(who), PASSWORD)
        page.goto(url)
        expect(page.get_by_text("0 of 2 questions answered.")).to_be_visible()

    first.get_by_role("group", name=MANDATE).get_by_label("Answer", exact=True) \
        .select_option("2")
    first.get_by_role("group", name=MANDATE).get_by_label("Comment").fill("First browser")
    first.get_by_role("button", name="Save this domain").click()
    expect(first.get_by_text("Your answers are saved.")).to_be_visible()

    second.get_by_role("group", name=MANDATE).get_by_label("Answer", exact=True) \
        .select_option("4")
    second.get_by_role("group", name=MANDATE).get_by_label("Comment").fill("Second browser")
    second.get_by_role("button", name="Save this domain").click()
    expect(second.get_by_text("1 answer was changed by someone else")).to_be_visible()
    conflict = second.get_by_role("region", name=re.compile("Their saved answer and yours"))
    expect(conflict).to_contain_text("2 – Partially meets")
    expect(conflict).to_contain_text("First browser")
    expect(conflict).to_contain_text("4 – Fully meets")
    expect(second.get_by_label("Keep the saved answer (mine is discarded)")).to_be_checked()
    assert_accessible(second, "the conflict page")

    # Choosing "mine" replaces the saved answer deliberately.
    second.get_by_label("Replace it with my answer").check()
    second.get_by_role("button", name="Save this domain").click()
    expect(second.get_by_text("Your answers are saved.")).to_be_visible()
    first.reload()
    expect(first.get_by_role("group", name=MANDATE).get_by_label("Answer", exact=True)
           ).to_have_value("4")
    expect(first.get_by_role("group", name=MANDATE).get_by_label("Comment")
           ).to_have_value("Second browser")
