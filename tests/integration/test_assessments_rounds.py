"""Rounds: creation, invitations, members, routing, status, and who may open what."""

import re

import pytest
from sqlalchemy import func, select

from app.assessments.models import Membership, Round
from app.extensions import db
from tests.conftest import last_link, login, outbox_messages
from tests.fixtures.assessments.helpers import DOMAIN, client_for, make_round


def _round_id(response) -> int:
    return int(re.search(r"/assessments/(\d+)/", response.headers["Location"]).group(1))


def test_only_focal_points_and_admins_create_rounds(app, client, login_as):
    login_as("learner")
    assert client.get("/assessments/new").status_code == 403
    assert client.post("/assessments/new", data={"country": "JO", "label": "2026",
                                                 "framework": "mini",
                                                 "institution": "nso"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_a_focal_point_creates_a_round_and_becomes_its_focal_point(app, client, login_as):
    uid = login_as("focal_point")
    page = client.get("/assessments/new")
    assert page.status_code == 200 and "Mini migration data framework" in page.get_data(
        as_text=True)
    response = client.post("/assessments/new", data={"country": "JO", "label": "2026",
                                                     "framework": "mini",
                                                     "institution": "interior"})
    assert response.status_code == 302
    rid = _round_id(response)
    with app.app_context():
        round_ = db.session.get(Round, rid)
        assert (round_.country, round_.label, round_.status) == ("JO", "2026", "draft")
        assert round_.framework_version == "test-1"
        assert round_.routing["coordination"] == ["nso", "interior", "labour"]   # defaults
        member = db.session.scalar(select(Membership).where(Membership.round_id == rid))
        assert (member.user_id, member.role, member.institution) == (uid, "focal_point",
                                                                     "interior")
    html = client.get(f"/assessments/{rid}/").get_data(as_text=True)
    assert "Jordan 2026" in html and "Open the round for answers" in html
    # The same country, framework and name cannot be used twice.
    again = client.post("/assessments/new", data={"country": "JO", "label": "2026",
                                                  "framework": "mini", "institution": "nso"})
    assert again.status_code == 400 and "already has a round" in again.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"country": "XX", "label": "2026", "framework": "mini", "institution": "nso"}, "country"),
    ({"country": "JO", "label": "<script>", "framework": "mini", "institution": "nso"},
     "Name the round"),
    ({"country": "JO", "label": "2026", "framework": "nope", "institution": "nso"}, "framework"),
    ({"country": "JO", "label": "2026", "framework": "mini", "institution": "mars"},
     "institution"),
])
def test_round_creation_checks_its_fields(app, client, login_as, data, message):
    login_as("focal_point")
    response = client.post("/assessments/new", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_invitation_for_an_existing_account(app, client, make_user):
    setup = make_round(app, make_user, status="draft")
    invitee = make_user("learner", email="new.member@example.org", locale="fr")
    focal = client_for(app, setup.email("focal"))
    response = focal.post(f"/assessments/{setup.round_id}/members",
                          data={"email": "New.Member@example.org", "role": "contributor",
                                "institution": "labour"})
    assert response.status_code == 302
    message = outbox_messages(app)[-1]
    assert message["To"] == "new.member@example.org"
    assert "Jordanie" in message.get_content()                  # in the invitee's language
    link = last_link(app, "new.member@example.org", "/assessments/invitations/")
    path = link.replace("http://localhost", "")
    # Someone else cannot accept it.
    other = client_for(app, setup.email("nso"))
    assert other.post(path + "/accept").status_code == 403
    invited = client_for(app, "new.member@example.org")
    assert "Accepter l’invitation" in invited.get(path).get_data(as_text=True)   # French
    assert invited.post(path + "/accept").status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Membership).where(
            Membership.email == "new.member@example.org"))
        assert member.user_id == invitee and member.accepted_at is not None
    assert invited.get(f"/assessments/{setup.round_id}/").status_code == 200
    # Inviting the same address twice is refused.
    again = focal.post(f"/assessments/{setup.round_id}/members",
                       data={"email": "new.member@example.org", "role": "observer",
                             "institution": "other"})
    assert again.status_code == 400 and "already invited" in again.get_data(as_text=True)


def test_invitation_without_an_account_leads_through_registration(app, client, make_user):
    setup = make_round(app, make_user, status="draft")
    focal = client_for(app, setup.email("focal"))
    focal.post(f"/assessments/{setup.round_id}/members",
               data={"email": "newcomer@example.org", "role": "contributor",
                     "institution": "refugee-agency"})
    link = last_link(app, "newcomer@example.org", "/assessments/invitations/")
    assert "create one with this e-mail address" in outbox_messages(app)[-1].get_content()
    path = link.replace("http://localhost", "")
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sign in to accept" in html and "/auth/register" in html
    assert "next=" in html                                    # back here after signing in
    # Register with the invited address (reusing the accounts feature), confirm, sign in.
    client.post("/auth/register", data={
        "email": "newcomer@example.org", "full_name": "New Comer", "organisation": "",
        "country": "JO", "locale": "en", "password": "violet tractor under sixteen lanterns",
        "confirm": "violet tractor under sixteen lanterns", "consent": "y"})
    verify = last_link(app, "newcomer@example.org", "/auth/verify/")
    client.get(verify.replace("http://localhost", ""))
    login(client, "newcomer@example.org", "violet tractor under sixteen lanterns")
    mine = client.get("/assessments/").get_data(as_text=True)
    assert "Invitations waiting for you" in mine and "Jordan 2026" in mine
    accept = re.search(r'action="(/assessments/invitations/[^"]+/accept)"', mine).group(1)
    assert client.post(accept).status_code == 302
    assert client.get(f"/assessments/{setup.round_id}/").status_code == 200


def test_bad_invitation_links(app, client, make_user):
    assert client.get("/assessments/invitations/not-a-token").status_code == 404
    setup = make_round(app, make_user, status="draft")
    focal = client_for(app, setup.email("focal"))
    focal.post(f"/assessments/{setup.round_id}/members",
               data={"email": "gone@example.org", "role": "observer", "institution": "other"})
    path = last_link(app, "gone@example.org", "/invitations/").replace("http://localhost", "")
    with app.app_context():
        member = db.session.scalar(select(Membership).where(
            Membership.email == "gone@example.org"))
        mid = member.id
    focal.post(f"/assessments/{setup.round_id}/members/{mid}/remove")
    assert client.get(path).status_code in (400, 404)


def test_members_routing_and_status_are_for_the_focal_point(app, make_user):
    setup = make_round(app, make_user, status="draft")
    rid = setup.round_id
    contributor = client_for(app, setup.email("nso"))
    focal = client_for(app, setup.email("focal"))
    with app.app_context():
        mid = db.session.scalar(select(Membership.id).where(
            Membership.email == setup.email("labour")))
    for url, data in [(f"/assessments/{rid}/members", {"email": "x@example.org",
                                                        "role": "contributor",
                                                        "institution": "nso"}),
                      (f"/assessments/{rid}/members/{mid}", {f"m{mid}-role": "observer",
                                                             f"m{mid}-institution": "nso"}),
                      (f"/assessments/{rid}/members/{mid}/remove", {}),
                      (f"/assessments/{rid}/routing", {"route": "coordination:nso"}),
                      (f"/assessments/{rid}/status", {"to": "open"})]:
        assert contributor.post(url, data=data).status_code == 403, url
    assert contributor.get(f"/assessments/{rid}/routing").status_code == 403
    members_page = contributor.get(f"/assessments/{rid}/members").get_data(as_text=True)
    assert "Invite someone" not in members_page and setup.email("labour") not in members_page

    # The focal point changes a member, the routing, and opens the round.
    assert focal.post(f"/assessments/{rid}/members/{mid}",
                      data={f"m{mid}-role": "observer",
                            f"m{mid}-institution": "labour"}).status_code == 302
    focal.post(f"/assessments/{rid}/routing", data={"route": ["legal-framework:nso",
                                                              "coordination:planning"]})
    assert focal.post(f"/assessments/{rid}/status", data={"to": "open"}).status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, rid)
        assert round_.routing == {"legal-framework": ["nso"], "coordination": ["planning"],
                                  "dissemination": []}
        assert round_.status == "open" and round_.opened_at is not None
        assert db.session.get(Membership, mid).role == "observer"


def test_the_last_focal_point_cannot_be_removed(app, make_user):
    setup = make_round(app, make_user, status="draft")
    focal = client_for(app, setup.email("focal"))
    with app.app_context():
        mid = db.session.scalar(select(Membership.id).where(
            Membership.email == setup.email("focal")))
    focal.post(f"/assessments/{setup.round_id}/members/{mid}/remove")
    with app.app_context():
        assert db.session.get(Membership, mid) is not None


# --- confidentiality ---------------------------------------------------------------------

def _urls(rid, file_id=1, import_id=1):
    return [
        f"/assessments/{rid}/", f"/assessments/{rid}/members", f"/assessments/{rid}/routing",
        f"/assessments/{rid}/answer/{DOMAIN}", f"/assessments/{rid}/review/",
        f"/assessments/{rid}/review/{DOMAIN}", f"/assessments/{rid}/results",
        f"/assessments/{rid}/validate", f"/assessments/{rid}/workbook.xlsx",
        f"/assessments/{rid}/workbook/upload", f"/assessments/{rid}/files/{file_id}",
        f"/assessments/{rid}/workbook/imports/{import_id}",
    ]


def test_every_round_page_requires_signing_in(app, client, make_user):
    setup = make_round(app, make_user)
    for url in ["/assessments/", "/assessments/new", *_urls(setup.round_id)]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_another_countrys_round_and_guessed_ids_answer_404(app, make_user):
    jordan = make_round(app, make_user)
    senegal = make_round(app, make_user, country="SN")
    outsider = client_for(app, senegal.email("focal"))
    for url in _urls(jordan.round_id) + _urls(9999):
        assert outsider.get(url).status_code == 404, url
    for url in [f"/assessments/{jordan.round_id}/answer/{DOMAIN}",
                f"/assessments/{jordan.round_id}/review/{DOMAIN}",
                f"/assessments/{jordan.round_id}/members",
                f"/assessments/{jordan.round_id}/status",
                f"/assessments/{jordan.round_id}/validate",
                f"/assessments/{jordan.round_id}/workbook/upload"]:
        assert outsider.post(url, data={}).status_code in (404, 400), url
        assert outsider.post(url, data={"to": "open"}).status_code != 302, url
    listing = outsider.get("/assessments/").get_data(as_text=True)
    assert "Senegal 2026" in listing and "Jordan 2026" not in listing


def test_a_contributor_cannot_open_facilitator_pages(app, make_user):
    setup = make_round(app, make_user)
    contributor = client_for(app, setup.email("nso"))
    rid = setup.round_id
    for url in [f"/assessments/{rid}/review/", f"/assessments/{rid}/review/{DOMAIN}",
                f"/assessments/{rid}/validate", f"/assessments/{rid}/routing"]:
        assert contributor.get(url).status_code == 403, url
    assert contributor.post(f"/assessments/{rid}/review/{DOMAIN}",
                            data={"q_statistics_law_mandate__choice": "3"}).status_code == 403
    assert contributor.post(f"/assessments/{rid}/validate").status_code == 403
    # An institution without routed domains has no answer page.
    assert contributor.get(f"/assessments/{rid}/answer/no-such-domain").status_code == 404


def test_an_observer_reads_but_cannot_write(app, make_user):
    setup = make_round(app, make_user)
    observer = client_for(app, setup.email("observer"))
    rid = setup.round_id
    for url in [f"/assessments/{rid}/", f"/assessments/{rid}/review/",
                f"/assessments/{rid}/review/{DOMAIN}", f"/assessments/{rid}/results",
                f"/assessments/{rid}/members"]:
        assert observer.get(url).status_code == 200, url
    for url, data in [(f"/assessments/{rid}/answer/{DOMAIN}",
                       {"q_statistics_law_mandate__choice": "3"}),
                      (f"/assessments/{rid}/review/{DOMAIN}",
                       {"q_statistics_law_mandate__choice": "3"}),
                      (f"/assessments/{rid}/workbook/upload", {}),
                      (f"/assessments/{rid}/validate", {}),
                      (f"/assessments/{rid}/status", {"to": "in_review"})]:
        assert observer.post(url, data=data).status_code == 403, url
    assert observer.get(f"/assessments/{rid}/answer/{DOMAIN}").status_code == 403
    assert observer.get(f"/assessments/{rid}/workbook.xlsx").status_code == 403


def test_admins_see_every_round(app, client, login_as, make_user):
    setup = make_round(app, make_user)
    login_as("admin")
    assert "Jordan 2026" in client.get("/assessments/").get_data(as_text=True)
    assert client.get(f"/assessments/{setup.round_id}/").status_code == 200
    assert client.get(f"/assessments/{setup.round_id}/review/{DOMAIN}").status_code == 200
    # Admins support the round (members), but answering belongs to its institutions.
    assert client.get(f"/assessments/{setup.round_id}/answer/{DOMAIN}").status_code == 403


def test_the_nav_link_and_home_card(client, login_as):
    login_as("focal_point")
    assert 'href="/assessments/"' in client.get("/courses/").get_data(as_text=True)
    assert "Self-assessments" in client.get("/home").get_data(as_text=True)
