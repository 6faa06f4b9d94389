"""Every GET page without parameters answers without a server error, for a
visitor and for each role; pages behind sign-in redirect visitors."""

import pytest

ROLES = ["learner", "trainer", "focal_point", "admin"]


def _simple_get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            yield rule.rule


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_simple_page_renders(app, client, login_as, role):
    if role:
        login_as(role)
    for url in _simple_get_routes(app):
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if role is None and response.status_code == 302:
            assert "/auth/login" in response.headers["Location"] or url.startswith("/auth"), url
