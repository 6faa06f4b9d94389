"""Browser tests: Debian's Chromium driven by Playwright against a live server.

The live server is a second app on the same test database, with CSRF switched
on as in production. Playwright never downloads a browser here: it starts
/usr/bin/chromium (`executable_path`).
"""

import json
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_app(app, tmp_path_factory):
    outbox = tmp_path_factory.mktemp("live-outbox")
    live = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": app.config["INSTANCE_PATH"],
        "OUTBOX_DIR": outbox,
        "WTF_CSRF_ENABLED": True,
    })
    return live


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    live_app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield live_app.config["PUBLIC_URL"]
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, live_app, app):
    """new_page(javascript=True, width=1280) -> a page in a fresh browser context."""
    contexts = []
    shutil.rmtree(live_app.config["OUTBOX_DIR"], ignore_errors=True)

    def _new(javascript=True, width=1280, height=900, locale="en-GB", axe=False):
        # axe-core is injected as an inline script, which our CSP rightly blocks:
        # only contexts that run accessibility checks bypass it.
        context = browser.new_context(base_url=live_server, java_script_enabled=javascript,
                                      viewport={"width": width, "height": height},
                                      locale=locale, accept_downloads=True, bypass_csp=axe)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def axe_violations(page, *, rules_off=()) -> list[dict]:
    """Run axe-core on the current page; return WCAG 2.1 A/AA violations."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async (off) => {
        const rules = {}; for (const r of off) rules[r] = {enabled: false};
        return await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, rules});
    }""", list(rules_off))
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def assert_accessible(page, label=""):
    violations = axe_violations(page)
    assert not violations, f"{label or page.url}: " + json.dumps(violations, indent=1)


def sign_in(page, email, password):
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
