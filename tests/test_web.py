"""Articles and fact feeds over HTTP, against a real server on 127.0.0.1 (pages written for these tests)."""
import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factdesk.errors import FactdeskError
from factdesk.web import FetchLimits, fetch, read_article, read_feed

REPO = Path(__file__).resolve().parent.parent

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Nimbus 3 gets cheaper | Example Tech</title>
<meta property="article:published_time" content="2025-05-20T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/deals">Deals: save 40% today</a></nav>
<article><h1>Nimbus 3 gets cheaper</h1>
<p>Nimbus 3 now costs $5 per million input tokens, its maker said on Tuesday, and the model scored
71.4 percent on Arcbench Pro in the company's own testing.</p>
<p>Developers who signed up early keep the context window of 262,144 tokens they were promised, and
the company says more than 30 partners have moved their workloads over since the launch.</p>
<p>Rivals have been quieter: none has cut prices this spring, though two have promised new models
before the end of the year, according to people who follow the market closely.</p>
</article>
<footer>Subscribe for 12 issues at $1 each. © 2025 Example Tech</footer>
</body></html>"""

FACTS_CSV = """entity,attribute,value,unit,as_of,source_url,note
Tarn 4,weight,188,g,2025-01-10,https://example.org/tarn-spec,
Tarn 4,battery capacity,5000,mAh,2025-01-10,https://example.org/tarn-spec,
"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):       # keep the test output clean
        pass

    def _send(self, status, body: bytes, ctype="text/html; charset=utf-8", length=True):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - the http.server API
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE_HTML.encode())
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/article.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.startswith("/loop"):
            n = int(path[5:] or 0)
            self.send_response(302)
            self.send_header("Location", f"/loop{n + 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"<p>late</p>")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>x</p>" * 10)
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(500 * 2**20))
            self.end_headers()
        elif path == "/huge-stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"a" * 65536 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/photo.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        elif path == "/404":
            self._send(404, b"<p>gone</p>")
        elif path == "/500":
            self._send(500, b"<p>oops</p>")
        elif path == "/facts.csv":
            self._send(200, FACTS_CSV.encode(), "text/csv; charset=utf-8")
        elif path == "/facts.json":
            rows = [dict(zip(["entity", "attribute", "value", "unit", "as_of", "source_url"], line.split(",")[:6]))
                    for line in FACTS_CSV.splitlines()[1:]]
            self._send(200, json.dumps({"facts": rows}).encode(), "application/json")
        elif path == "/bad.csv":
            self._send(200, (FACTS_CSV + "Tarn 4,height,tall,mm,2025-01-10,https://example.org/t,\n").encode(),
                       "text/csv")
        elif path == "/facts-page":
            self._send(200, b"<html><body><table><tr><td>Tarn 4</td></tr></table></body></html>")
        else:
            self._send(404, b"no such page")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _code(fn):
    with pytest.raises(FactdeskError) as err:
        fn()
    assert "\n" not in str(err.value)
    return err.value.code, str(err.value)


def test_an_article_comes_back_as_its_main_text_with_its_date(server):
    doc = read_article(f"{server}/moved")                  # one redirect is fine
    assert doc.source == f"{server}/article.html" and doc.date == "2025-05-20"
    assert doc.text.startswith("Nimbus 3 gets cheaper")
    assert "$5 per million input tokens" in doc.text and "262,144 tokens" in doc.text
    assert "save 40% today" not in doc.text and "12 issues" not in doc.text    # menus and footers dropped


@pytest.mark.parametrize("path,limits,code,needle", [
    ("/slow", FetchLimits(read_s=0.5), "FD503", "did not answer in time"),
    ("/drip", FetchLimits(read_s=5, total_s=1.0), "FD503", "did not answer in time"),
    ("/loop", FetchLimits(), "FD504", "redirects more than 5 times"),
    ("/huge-declared", FetchLimits(max_bytes=2**20), "FD507", "larger than 1 MiB (500 MiB)"),
    ("/huge-stream", FetchLimits(max_bytes=2**20), "FD507", "larger than 1 MiB"),
    ("/photo.png", FetchLimits(), "FD506", "is image/png, not an article"),
    ("/404", FetchLimits(), "FD505", "answered 404 Not Found"),
    ("/500", FetchLimits(), "FD505", "500 Internal Server Error; check the address or try again later"),
])
def test_each_way_a_fetch_fails_has_its_own_message(server, path, limits, code, needle):
    started = time.monotonic()
    got, message = _code(lambda: read_article(server + path, limits))
    assert got == code and needle in message
    assert time.monotonic() - started < 10


def test_addresses_that_cannot_be_fetched(server):
    with socket.socket() as s:                # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert _code(lambda: read_article(f"http://127.0.0.1:{port}/x"))[0] == "FD502"
    assert _code(lambda: fetch("ftp://example.org/file", ("text/html",)))[0] == "FD501"
    assert _code(lambda: fetch("javascript:alert(1)", ("text/html",)))[0] == "FD501"
    assert _code(lambda: fetch("http://[::1/broken", ("text/html",)))[0] == "FD501"
    assert _code(lambda: fetch("http://example.org:port/", ("text/html",)))[0] == "FD501"


def test_feeds_must_be_csv_or_json(server):
    text, where = read_feed(f"{server}/facts.csv")
    assert text == FACTS_CSV and where.endswith("/facts.csv")
    code, message = _code(lambda: read_feed(f"{server}/facts-page"))
    assert code == "FD506" and "is a web page, not a CSV or JSON file" in message


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "factdesk.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=300)


def test_check_a_web_article_from_the_command_line(server, sample_db):
    run = run_cli("check", f"{server}/article.html", "--db", str(sample_db), "--format", "json")
    assert run.returncode == 1, run.stderr                 # $5 conflicts with the $3 on file
    report = json.loads(run.stdout)
    assert report["source"] == f"{server}/article.html"
    assert (report["as_of"], report["as_of_basis"]) == ("2025-05-20", "metadata")
    kinds = {c["text"]: c["verdict"] for c in report["claims"]}
    assert kinds["$5 per million input tokens"] == "conflicting" and kinds["71.4 percent"] == "verified"
    gone = run_cli("check", f"{server}/404", "--db", str(sample_db))
    assert gone.returncode == 2 and "[FD505]" in gone.stderr and "Traceback" not in gone.stderr


def test_a_batch_names_web_reports_by_address(server, sample_db, tmp_path):
    run = run_cli("check", f"{server}/article.html", f"{server}/photo.png", "--db", str(sample_db),
                  "--out", str(tmp_path / "out"))
    assert run.returncode == 2                              # the image is reported, the article checked
    host = f"127.0.0.1_{server.rsplit(':', 1)[1]}"
    assert (tmp_path / "out" / host / "article.html.html").exists()
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "[FD506]" in index and "article.html" in index


def test_db_pull_imports_a_feed_atomically_and_says_what_changed(server, tmp_path):
    db = tmp_path / "pulled.db"
    first = run_cli("db", "pull", f"{server}/facts.csv", "--db", str(db))
    assert first.returncode == 0 and "2 facts added, 0 updated, 0 unchanged" in first.stdout
    again = run_cli("db", "pull", f"{server}/facts.json", "--db", str(db))
    assert again.returncode == 0 and "0 facts added, 0 updated, 2 unchanged" in again.stdout
    preview = run_cli("db", "pull", f"{server}/bad.csv", "--db", str(db), "--dry-run")
    assert preview.returncode == 2 and "line 4     invalid" in preview.stdout
    before = db.read_bytes()
    bad = run_cli("db", "pull", f"{server}/bad.csv", "--db", str(db))
    assert bad.returncode == 2 and "[FD305]" in bad.stderr and "nothing imported" in bad.stderr
    from factdesk.store import ReferenceStore
    store = ReferenceStore.open(db)
    assert store.stats().facts == 2 and [c.action for c in store.changes()] == ["add", "add"]
    store.close()
    assert len(before) > 0
    page = run_cli("db", "pull", f"{server}/facts-page", "--db", str(db))
    assert page.returncode == 2 and "[FD506]" in page.stderr
    # a pull that fails leaves no new database (or folder) behind
    for bad_url in (f"{server}/404", f"{server}/bad.csv"):
        fresh = tmp_path / "new" / "deep" / "typo.db"
        assert run_cli("db", "pull", bad_url, "--db", str(fresh)).returncode == 2
        assert not fresh.exists() and not (tmp_path / "new").exists()
