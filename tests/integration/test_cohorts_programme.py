"""The programme view: scope (admin: all, trainer: own), filters, groups of fewer
than 5 learners not broken down, CSV export."""

import csv
import io
from datetime import date

from tests.conftest import complete_course
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_analytics_support import (
    add_attempt,
    add_feedback,
    set_cohort,
    text,
)
from tests.integration.test_cohorts_support import client_for, join, make_cohort

world = support.world    # fixtures


def populate(app, world, make_user):
    """Cohort A (world.cohort, March 2026): 6 learners from Senegal at the same
    office, 2 from Ghana; pre-test on the final exam. Other cohort: 1 learner."""
    set_cohort(app, world.cohort, pretest_quiz="final", min_attendance=0)
    members = []
    for i in range(6):
        uid = make_user(full_name=f"Sene {i}", email=f"sn{i}@example.org", country="SN",
                        organisation="ANSD")
        members.append(join(app, world.cohort, uid))
        # pre 0, post 100 for everyone: g = 1; two complete the course (certified)
        add_attempt(app, uid, "final", {"final-stock": 0, "final-census": 0}, pretest=True)
        if i < 2:
            complete_course(app, uid)
        else:
            add_attempt(app, uid, "final", {"final-stock": 1, "final-census": 1})
    for i in range(2):
        uid = make_user(full_name=f"Gha {i}", email=f"gh{i}@example.org", country="GH",
                        organisation="GSS")
        members.append(join(app, world.cohort, uid))
    for member in members[:5]:
        add_feedback(app, member, relevance=5, content=4, trainer=3)
    return members


def rows_of(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_scope_and_permissions(app, world, make_user):
    populate(app, world, make_user)
    admin = text(client_for(app, world.admin).get("/cohorts/programme"))
    assert "Test workshop" in admin and "Other workshop" in admin
    mine = text(client_for(app, world.trainer).get("/cohorts/programme"))
    assert "Test workshop" in mine and "Other workshop" not in mine
    other = text(client_for(app, world.other_trainer).get("/cohorts/programme"))
    assert "Other workshop" in other and "Test workshop" not in other
    assert client_for(app, world.learner).get("/cohorts/programme").status_code == 403
    assert client_for(app, world.learner).get("/cohorts/programme.csv").status_code == 403
    assert app.test_client().get("/cohorts/programme").status_code == 302
    assert "Programme view" in text(client_for(app, world.trainer).get("/cohorts/"))


def test_figures_and_small_groups(app, world, make_user):
    populate(app, world, make_user)
    html = text(client_for(app, world.trainer).get("/cohorts/programme"))
    # world.learner (no country) + 6 SN + 2 GH = 9 learners in the trainer's cohort
    by_country = html[html.find('id="country"'):html.find('id="organisation"')]
    # Senegal: 6 learners, 2 certified, mean g 1.00 over 6; satisfaction (5+4+3)/3 = 4.0 (5)
    assert "Senegal</th><td>6</td>\n<td>2</td>\n<td>1.00 <span class=\"muted\">(6)</span>" \
        in by_country
    assert "4.0 <span class=\"muted\">(5)</span>" in by_country
    # Ghana (2) and "not known" (1) are merged: 3 learners, so nothing is shown
    assert "Ghana" not in by_country
    assert "Other (groups of fewer than 5)" in by_country and "fewer than 5" in by_country
    by_org = html[html.find('id="organisation"'):html.find('id="workshops"')]
    assert "ANSD" in by_org and "GSS" not in by_org
    rows = rows_of(client_for(app, world.trainer).get("/cohorts/programme.csv"))
    assert rows[0][:4] == ["Breakdown", "Group", "Learners trained", "Learners certified"]
    total = rows[1]
    assert total[2:6] == ["9", "2", "1.0", "6"]
    assert ["Country", "Senegal", "6", "2", "1.0", "6", "4.0", "5"] in rows
    other = next(r for r in rows if r[0] == "Country" and r[1].startswith("Other"))
    assert other[2] == "fewer than 5" and other[3:] == ["", "", "", "", ""]
    assert not any(r[1] == "Ghana" for r in rows)


def test_filters(app, world, make_user):
    populate(app, world, make_user)
    admin = client_for(app, world.admin)
    # the two cohorts both run in March 2026 (the support default)
    assert "Test workshop" in text(admin.get("/cohorts/programme?start=2026-03-10&end=2026-03-20"))
    later = make_cohort(app, world.trainer, name="Autumn workshop",
                        starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 5))
    autumn = text(admin.get("/cohorts/programme?start=2026-09-01"))
    assert "Autumn workshop" in autumn and "Test workshop" not in autumn
    spring = text(admin.get("/cohorts/programme?end=2026-04-01&course=field-basics"))
    assert "Autumn workshop" not in spring and "Test workshop" in spring
    bad = text(admin.get("/cohorts/programme?start=yesterday&course=nope"))
    assert "enter a date as YYYY-MM-DD" in bad and "Choose a course from the list" in bad
    assert "Autumn workshop" in bad                 # bad filters are ignored, not fatal
    reversed_ = text(admin.get("/cohorts/programme?start=2026-05-01&end=2026-04-01"))
    assert "cannot be before its start" in reversed_
    nothing = text(admin.get("/cohorts/programme?start=2030-01-01"))
    assert "No workshop in this period" in nothing
    csv_rows = rows_of(admin.get("/cohorts/programme.csv?start=2026-09-01"))
    assert csv_rows[1][2] == "0"
    assert later


def test_empty_platform(app, make_user, login_as, client):
    login_as("admin")
    assert "No workshop in this period" in text(client.get("/cohorts/programme"))
    assert client.get("/cohorts/programme.csv").status_code == 200
