"""`make bench`: performance figures in bench/results.json.

Every section runs even if another fails; the script exits non-zero if any
section failed. It uses its own temporary instance folder, database and free
ports, so it never touches a running `make run`.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results.json"
WRK_ARGS = ["-t2", "-c20", "-d10s"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Env:
    """A throw-away instance: folder, SQLite database, migrated and seeded."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="mda-bench-"))
        self.vars = dict(os.environ, INSTANCE_PATH=str(self.tmp),
                         DATABASE_URL=f"sqlite:///{self.tmp / 'bench.db'}",
                         MDA_RATELIMIT_ENABLED="false", PYTHONPATH=str(ROOT))
        self.vars.pop("REDIS_URL", None)
        for args in (["db", "upgrade"], ["courses", "import"], ["seed-demo"]):
            self.flask(*args)

    def flask(self, *args) -> str:
        out = subprocess.run([str(VENV_BIN / "flask"), "--app", "app", *args], cwd=ROOT,
                             env=self.vars, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{out.stderr[-2000:]}")
        return out.stdout


class Server:
    def __init__(self, target: str, env: dict, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", target], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/healthz" if "create_app" in target
                                       else self.url + "/", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{target} did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def wrk(url: str, cookie: str | None = None, duration: str | None = None) -> float:
    args = ["wrk", *WRK_ARGS]
    if duration:
        args = ["wrk", "-t2", "-c20", f"-d{duration}"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if not match or errors:
        raise RuntimeError(f"wrk failed or saw errors on {url}:\n{out}")
    return float(match.group(1))


def sign_in(base: str, email: str, password: str) -> tuple[str, urllib.request.OpenerDirector]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": token}).encode()
    opener.open(base + "/auth/login", data=data)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookie:
        raise RuntimeError("could not sign in the demo learner")
    return cookie, opener


def lesson_section(env: Env, results: dict) -> None:
    """Lesson page vs a bare Flask page, both under gunicorn -w 2 on SQLite."""
    app_server = Server("app:create_app()", env.vars)
    base_server = Server("bench.baseline_app:app", env.vars)
    try:
        cookie, opener = sign_in(app_server.url, "learner@example.org", "Learner-Demo-2026")
        resume = opener.open(app_server.url + "/courses/mine").read().decode()
        course = re.search(r'href="/courses/([^/"]+)/resume"', resume).group(1)
        lesson_url = opener.open(f"{app_server.url}/courses/{course}/resume").geturl()
        html = opener.open(lesson_url).read()
        css = b"".join(opener.open(app_server.url + href).read() for href in re.findall(
            r'<link rel="stylesheet" href="([^"]+)"', html.decode()))
        scripts = re.findall(r'<script[^>]+src="([^"]+)"', html.decode())
        js = b"".join(opener.open(app_server.url + src).read() for src in scripts)
        results["lesson_page_bytes"] = len(html) + len(css) + len(js)

        wrk(lesson_url, cookie, duration="3s")          # warm-up
        wrk(base_server.url + "/", duration="3s")
        lesson_runs, base_runs = [], []
        for _ in range(3):                               # alternating runs
            lesson_runs.append(wrk(lesson_url, cookie))
            base_runs.append(wrk(base_server.url + "/"))
        results["lesson_page_rps"] = round(median(lesson_runs), 1)
        results["baseline_rps"] = round(median(base_runs), 1)
        results["lesson_vs_baseline"] = round(median(lesson_runs) / median(base_runs), 3)
        results["lesson_page_queries"] = count_lesson_queries(env, urllib.parse.urlsplit(
            lesson_url).path)
    finally:
        app_server.stop()
        base_server.stop()


def count_lesson_queries(env: Env, path: str) -> int:
    """SQL statements for one lesson view, counted in-process with an event listener."""
    code = f"""
import json, re
from sqlalchemy import event
from app import create_app
from app.extensions import db
app = create_app()
app.config["WTF_CSRF_ENABLED"] = False
client = app.test_client()
client.post("/auth/login", data={{"email": "learner@example.org", "password": "Learner-Demo-2026"}})
client.get({path!r})
count = []
with app.app_context():
    event.listen(db.engine, "before_cursor_execute", lambda *a, **k: count.append(1))
assert client.get({path!r}).status_code == 200
print(json.dumps(len(count)))
"""
    out = subprocess.run([str(VENV_BIN / "python"), "-c", code], cwd=ROOT, env=env.vars,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def module_section(module: str):
    """A section run as `python -m bench.<module>` printing one JSON object."""
    def section(env: Env, results: dict) -> None:
        out = subprocess.run([str(VENV_BIN / "python"), "-m", f"bench.{module}"], cwd=ROOT,
                             env=env.vars, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        results.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return section


SECTIONS = [("lesson", lesson_section), ("certificates", module_section("certificates")),
            ("dashboard", module_section("dashboard")), ("plans", module_section("plans"))]


def main(selected: list[str]) -> int:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    failed = []
    env = Env()
    for name, section in SECTIONS:
        if selected and name not in selected:
            continue
        print(f"--- {name}", flush=True)
        started = time.perf_counter()
        try:
            section(env, results)
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"    {time.perf_counter() - started:.1f} s", flush=True)
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(json.dumps(results, indent=2, sort_keys=True))
    if failed:
        print("failed sections: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
