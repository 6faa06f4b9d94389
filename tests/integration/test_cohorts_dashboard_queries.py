"""The dashboard (and the pages built on the same data: exports, report data,
programme view) issue a bounded number of SQL statements whatever the number
of learners: at most 20, the same for 10 and 300 learners."""

from app.courses.catalogue import catalogue
from bench.dashboard import build_cohort
from tests.integration.test_cohorts_queries import counting
from tests.integration.test_cohorts_support import client_for

LIMIT = 20


def urls(cohort_id):
    return [f"/cohorts/{cohort_id}/dashboard", f"/cohorts/{cohort_id}/export/gain.csv",
            f"/cohorts/{cohort_id}/export/items.csv", f"/cohorts/{cohort_id}/export/all.xlsx",
            "/cohorts/programme", "/cohorts/programme.csv"]


def counts(app, client, cohort_id):
    found = {}
    for url in urls(cohort_id):
        client.get(url)                      # warm: nothing cached in the database
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url.replace(str(cohort_id), "ID")] = len(statements)
    return found


def test_dashboard_queries_do_not_grow_with_learners(app, make_user):
    small_trainer = make_user("trainer", email="small@example.org")
    big_trainer = make_user("trainer", email="big@example.org")
    with app.app_context():
        course = catalogue().get("field-basics")
        small = build_cohort(small_trainer, course, 10, prefix="small")
        big = build_cohort(big_trainer, course, 300, prefix="big")
    small_counts = counts(app, client_for(app, small_trainer), small)
    big_counts = counts(app, client_for(app, big_trainer), big)
    assert small_counts == big_counts
    assert big_counts["/cohorts/ID/dashboard"] <= LIMIT, big_counts
    assert max(big_counts.values()) <= LIMIT, big_counts
    html = client_for(app, big_trainer).get(f"/cohorts/{big}/dashboard").get_data(as_text=True)
    assert "Learner big 000" in html and "Learner big 299" in html
    print("SQL statements (10 and 300 learners):", big_counts)
