"""The opt-in benchmark page: aggregates of at least 5 countries only, never
a country's name, only for rounds that take part; the focal point decides."""

from app.extensions import db
from tests.integration.test_plans_support import audit_events, client_for, plan_round

COUNTRIES = ("KE", "SN", "GH", "NG", "MA", "TN")


def _validated_rounds(app, countries, *, opt_in=True):
    """Validated rounds of the mini framework with given scores (snapshot only)."""
    from app.assessments import scoring
    from app.assessments.frameworks import library
    from app.assessments.models import Round
    from app.core.db import utcnow

    with app.app_context():
        framework = library().get("mini")
        for i, country in enumerate(countries):
            summary = scoring.summarise(framework, {"statistics-law-mandate": i % 5,
                                                    "admin-data-access": i % 5,
                                                    "working-group": 2})
            db.session.add(Round(country=country, label="2025", framework_slug="mini",
                                 framework_version="test-1", framework_hash="x",
                                 status="validated", routing={}, validated_at=utcnow(),
                                 benchmark_opt_in=opt_in,
                                 snapshot={"summary": summary.to_dict()}))
        db.session.commit()


def test_the_focal_point_opts_in_and_sees_aggregates_only_from_five_countries(app, make_user):
    setup = plan_round(app, make_user, validate=True)
    focal = client_for(app, setup.email("focal"))
    url = f"/assessments/{setup.round_id}/benchmark"
    html = focal.get(url).get_data(as_text=True)
    assert "Does not take part" in html and "shown to rounds that take part" in html
    assert focal.post(url, data={"opt_in": "1"}).status_code == 302
    assert audit_events(app, "plans.benchmark_opt_in")
    _validated_rounds(app, COUNTRIES[:3])                  # this round + 3 = 4 countries
    _validated_rounds(app, ("BR", "AR", "CL"), opt_in=False)   # not taking part
    html = focal.get(url).get_data(as_text=True)
    assert "Takes part" in html and "Not enough countries yet" in html
    assert "Median" not in html
    _validated_rounds(app, COUNTRIES[3:4])                 # 5 countries
    html = focal.get(url).get_data(as_text=True)
    assert "Not enough countries yet" not in html and "Median" in html
    # legal-framework scores of JO (1.33) and KE 0, SN 1, GH 2, NG 3: median 1.3
    assert "1.3" in html
    # coordination: working-group only for the 4 others + JO (3) -> 5 countries
    for name in ("Kenya", "Senegal", "Ghana", "Nigeria", "Brazil"):
        assert name not in html                           # no country is named
    assert "never a country's name, a list or a ranking" in html


def test_only_the_focal_point_changes_the_opt_in(app, make_user):
    from app.assessments.models import Round

    setup = plan_round(app, make_user)
    url = f"/assessments/{setup.round_id}/benchmark"
    for key in ("facilitator", "nso", "observer"):
        member = client_for(app, setup.email(key))
        assert member.get(url).status_code == 200
        assert member.post(url, data={"opt_in": "1"}).status_code == 403
    with app.app_context():
        assert db.session.get(Round, setup.round_id).benchmark_opt_in is False
    focal = client_for(app, setup.email("focal"))
    focal.post(url, data={"opt_in": "1"})
    focal.post(url, data={"opt_in": "0"})
    with app.app_context():
        assert db.session.get(Round, setup.round_id).benchmark_opt_in is False
    assert len(audit_events(app, "plans.benchmark_opt_out")) == 1
