"""The desktop app's reference browser, add-as-fact, import preview, history and web articles (pytest-qt,
offscreen; facts and pages written for these tests)."""
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from desktop.settings import DesktopSettings  # noqa: E402
from desktop.window import MainWindow  # noqa: E402
from factdesk.store import ReferenceStore  # noqa: E402

LOAD_MS = 90_000


@pytest.fixture()
def window(qtbot, tmp_path, sample_db):
    own = tmp_path / "desk.db"          # a copy: these tests change the facts
    shutil.copy(sample_db, own)
    w = MainWindow(DesktopSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), own)
    with qtbot.waitSignal(w.engineReady, timeout=LOAD_MS):
        w.show()
    yield w
    w.editor.document().setModified(False)
    w.close()
    w.deleteLater()


def check(qtbot, window, text):
    window.editor.setPlainText(text)
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        window.check_now()
    return blocker.args[0]


def test_add_as_fact_turns_the_claim_verified(qtbot, window):
    report = check(qtbot, window, "The Tarn 4 weighs 188 grams, according to its maker.")
    (v,) = report.verdicts
    assert v.kind.value == "unverified"
    menu = window.claim_menu(0)
    assert [a for a in menu.actions() if a.text() == "Add as Fact…"][0].isEnabled()
    dialog = window.add_claim_as_fact(0)
    record = dialog.record()
    assert (record["entity"], record["attribute"], record["value"], record["unit"]) == ("Tarn 4", "weight", "188", "g")
    # refused without a source: the dialog stays, says why and marks the field
    assert not dialog.save()
    assert "source_url is empty" in dialog.error.text() and dialog.isVisible()
    assert "b42318" in dialog.fields["source_url"].styleSheet()
    dialog.set_text("source_url", "https://example.org/tarn-4-specs")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        assert dialog.save()
    (after,) = blocker.args[0].verdicts
    assert after.kind.value == "verified" and after.fact.source_url == "https://example.org/tarn-4-specs"
    assert "Added Tarn 4 weight" in window.message() or "Checked" in window.message()
    assert window.add_claim_as_fact(0) is None                      # verified now: nothing to add


def test_reference_browser_searches_filters_sorts_and_edits_in_place(qtbot, window):
    report = check(qtbot, window, "Nimbus 3 scored 71.4 percent on Arcbench Pro.")
    assert report.verdicts[0].kind.value == "verified"
    browser = window.open_reference_browser()
    browser.search.setText("arcbench")
    qtbot.waitUntil(lambda: browser.facts.rowCount() and all("Arcbench" in f.attribute
                                                             for f in browser.visible_facts()), timeout=3000)
    assert {f.entity for f in browser.visible_facts()} == {"Nimbus 3", "Orca 2"}
    browser.entity_filter.setCurrentText("Orca 2")
    assert [f.entity for f in browser.visible_facts()] == ["Orca 2"]
    browser.entity_filter.setCurrentText("All entities")
    browser.search.setText('"Arcbench AND (')                       # search syntax is just text
    qtbot.wait(300)
    assert browser.message.is_error is False
    browser.search.clear()
    qtbot.waitUntil(lambda: browser.facts.rowCount() > 20, timeout=3000)
    browser.facts_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)             # value, as numbers
    values = [float(f.value) for f in browser.visible_facts() if f.unit != "date"]
    assert values == sorted(values, reverse=True)
    # edit in place: a bad value is refused with its reason, a good one saved and the article re-checked
    browser.search.setText("Arcbench Pro")
    qtbot.waitUntil(lambda: len(browser.visible_facts()) == 2, timeout=3000)
    proxy = browser.facts_table.model()
    row = next(r for r in range(proxy.rowCount()) if browser.visible_facts()[r].entity == "Nimbus 3")
    cell = proxy.index(row, 2)
    assert not proxy.setData(cell, "seventy")
    assert browser.message.is_error and "is not a number" in browser.message.message()
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        assert proxy.setData(cell, "70.9")
    assert blocker.args[0].verdicts[0].kind.value == "conflicting"
    change = window.curation_store().changes(1)[0]
    assert change.action == "update" and change.old == {"value": "71.4"} and change.new == {"value": "70.9"}
    browser.close()


def test_deleting_a_fact_is_undone_from_the_history_tab(qtbot, window):
    browser = window.open_reference_browser()
    browser.entity_filter.setCurrentText("Kestrel Board 2")
    browser.search.setText("weight")
    qtbot.waitUntil(lambda: len(browser.visible_facts()) == 1, timeout=3000)
    fact = browser.visible_facts()[0]
    browser.facts_table.selectRow(0)
    assert browser.delete_button.isEnabled()
    browser.delete_selected()
    assert window.curation_store().fact(fact.id) is None and "History tab" in browser.message.message()
    browser.tabs.setCurrentIndex(2)
    assert browser.history.change(0).describe() == "deleted Kestrel Board 2 weight (62 g)"
    browser.history_table.selectRow(0)
    assert browser.undo_button.isEnabled()
    browser.undo_selected()
    assert window.curation_store().fact(fact.id) == fact
    assert browser.history.change(0).action == "restore"
    browser.close()


def test_aliases_are_added_and_refused_with_reasons(qtbot, window):
    browser = window.open_reference_browser()
    browser.tabs.setCurrentIndex(1)
    browser.alias_entity.setCurrentText("Kestrel Board 2")
    browser.alias_edit.setText("KB2")
    browser.add_alias()
    assert ("Kestrel Board 2", "KB2") in window.curation_store().aliases()
    browser.alias_entity.setCurrentText("Nimbus 3")
    browser.alias_edit.setText("KB2")
    browser.add_alias()
    assert browser.message.is_error and "already names Kestrel Board 2" in browser.message.message()
    browser.close()


def test_import_shows_every_rows_change_before_writing(qtbot, window, tmp_path):
    csv_path = tmp_path / "new-facts.csv"
    good = ("entity,attribute,value,unit,as_of,source_url,note\n"
            "Tarn 4,weight,188,g,2025-01-10,https://example.org/tarn,\n"
            "Nimbus 3,context window,262144,tokens,2025-03-04,https://example.org/nimbus-3,\n")
    csv_path.write_text(good + "Tarn 4,height,tall,mm,2025-01-10,https://example.org/tarn,\n", encoding="utf-8")
    before = window.curation_store().fingerprint()
    dialog = window.open_import(str(csv_path))
    assert dialog.plan.counts == {"new": 1, "updated": 0, "unchanged": 1, "invalid": 1}
    assert not dialog.import_button.isEnabled() and "Nothing can be imported" in dialog.summary.text()
    statuses = {dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())}
    assert statuses == {"new", "unchanged", "invalid"}
    assert window.curation_store().fingerprint() == before                 # the preview wrote nothing
    csv_path.write_text(good, encoding="utf-8")
    dialog.preview(csv_path)
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "Import 1 change"
    window.editor.setPlainText("The Tarn 4 weighs 188 grams.")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS):
        window.check_now()
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        dialog.apply()
    assert blocker.args[0].verdicts[0].kind.value == "verified"        # the engine uses the import at once
    assert "Imported: 1 added" in dialog.summary.text()
    dialog.close()


class _Page(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        body = ("<html><head><title>Tarn 4 review</title>"
                "<meta property='article:published_time' content='2025-02-01'></head><body><article>"
                "<h1>Tarn 4 review</h1><p>The Tarn 4 scored well in our tests, and at 62 grams the Kestrel "
                "Board 2 still weighs less than most boards its size, which matters in a small case.</p>"
                "<p>We ran it for a week without a single crash, and the fan stayed quiet the whole time."
                "</p></article></body></html>").encode() if self.path == "/review" else b"nope"
        self.send_response(200 if self.path == "/review" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_open_web_article_fetches_checks_and_records_the_address(qtbot, window):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
            window.open_url(f"{base}/review")
        report = blocker.args[0]
        assert report.source == f"{base}/review" and report.as_of == "2025-02-01"
        assert report.as_of_basis == "metadata"
        assert {v.claim.text: v.kind.value for v in report.verdicts}["62 grams"] == "verified"
        assert window.windowTitle().startswith("review") and window.save_path is None
        with qtbot.waitSignal(window.problem, timeout=20_000) as failed:
            window.open_url(f"{base}/missing")
        assert failed.args[0].startswith("[FD505]") and window.report.source == f"{base}/review"
        assert window.open_url("ftp://example.org/x") is None and window.message().startswith("[FD501]")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fact_models_pass_qtmodeltester(qtmodeltester, tmp_path):
    from desktop.fact_models import AliasesModel, FactsModel, HistoryModel, ImportPlanModel, SortProxy
    from factdesk.imports import parse_text

    store = ReferenceStore.open(tmp_path / "m.db", create=True)
    store.import_text("entity,attribute,value,unit,as_of,source_url,note\n"
                      "Tarn 4,weight,188,g,2025-01-10,https://example.org/tarn,\n"
                      "Tarn 4,release date,2025-01-20,date,2025-01-10,https://example.org/tarn,\n")
    store.add_alias("Tarn 4", "the Tarn")
    facts = FactsModel(store.update_fact)
    facts.set_facts(store.search_facts())
    qtmodeltester.check(facts)
    proxy = SortProxy()
    proxy.setSourceModel(facts)
    proxy.sort(2)
    qtmodeltester.check(proxy)
    aliases = AliasesModel()
    aliases.set_aliases(store.aliases())
    qtmodeltester.check(aliases)
    history = HistoryModel()
    history.set_changes(store.changes())
    qtmodeltester.check(history)
    plan = ImportPlanModel()
    plan.set_plan(store.plan_import(parse_text("entity,alias\nTarn 4,T4\n,x\n", "a.csv")))
    qtmodeltester.check(plan)
    assert plan.rowCount() == 2


def _sha(path):
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_the_shipped_database_is_read_only_and_a_working_copy_is_offered(qtbot, tmp_path):
    from factdesk.locations import SHIPPED_DB, working_copy_path

    before = _sha(SHIPPED_DB)
    w = MainWindow(DesktopSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), SHIPPED_DB)
    with qtbot.waitSignal(w.engineReady, timeout=LOAD_MS):
        w.show()
    try:
        browser = w.open_reference_browser()
        assert browser.banner.isVisibleTo(browser)
        proxy = browser.facts_table.model()
        row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 3).data() != "date")
        assert not proxy.setData(proxy.index(row, 2), "987654")
        assert "[FD213]" in browser.message.message() and "Make Working Copy" in browser.message.message()
        # the shipped facts by source and beat; one source at a time
        labels = [browser.source_filter.itemText(i) for i in range(browser.source_filter.count())]
        assert labels[0] == "All sources" and any(t.startswith("primary sources") for t in labels)
        assert any(t.startswith("LiteLLM registry") for t in labels)
        assert "AI models" in browser.coverage_label.text() and "company results" in browser.coverage_label.text()
        browser.source_filter.setCurrentIndex(next(i for i, t in enumerate(labels) if t.startswith("LiteLLM")))
        shown = browser.visible_facts()
        assert shown and all(f.origin == "LiteLLM registry" for f in shown)
        browser.source_filter.setCurrentIndex(next(i for i, t in enumerate(labels) if t.startswith("primary")))
        assert all(not f.origin for f in browser.visible_facts())
        check(qtbot, w, "Claude Opus 4 weighs 4 kilograms.")
        assert w.add_claim_as_fact(0) is None and w.message().startswith("[FD213]")
        for box in w.findChildren(QMessageBox, "workingCopyOffer"):
            box.close()
        with qtbot.waitSignal(w.engineReady, timeout=LOAD_MS):
            copy = w.make_working_copy()
        assert copy == working_copy_path() and w.database == copy.resolve()
        assert not w.curation_store().read_only and w.add_claim_as_fact(0) is not None
        w.fact_dialog.close()
    finally:
        w.editor.document().setModified(False)
        w.close()
    assert _sha(SHIPPED_DB) == before                        # nothing reached the shipped file


def test_an_edit_refused_because_the_database_is_busy_says_so(qtbot, window):
    import sqlite3

    browser = window.open_reference_browser()
    window.curation_store().db.execute("PRAGMA busy_timeout = 100")
    blocker = sqlite3.connect(window.database, timeout=0.1)
    blocker.execute("BEGIN IMMEDIATE")                      # another program is writing
    try:
        proxy = browser.facts_table.model()
        assert not proxy.setData(proxy.index(0, 6), "checked twice")
        assert "[FD208]" in browser.message.message() and "your text is back in the cell" in browser.message.message()
    finally:
        blocker.rollback()
        blocker.close()
    assert proxy.setData(proxy.index(0, 6), "checked twice")


def test_a_slow_fetch_can_be_stopped_and_never_holds_up_checking(qtbot, window):
    import time
    from http.server import BaseHTTPRequestHandler

    class Drip(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(300):
                    self.wfile.write(b"<p>still loading</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        window.open_url(f"http://127.0.0.1:{httpd.server_address[1]}/slow")
        assert window.stop_fetch_action.isEnabled()
        started = time.monotonic()
        report = check(qtbot, window, "Nimbus 3 scored 71.4 percent on Arcbench Pro.")     # not queued behind it
        assert report.verdicts[0].kind.value == "verified" and time.monotonic() - started < 20
        with qtbot.waitSignal(window.fetcher.cancelled, timeout=10_000):
            window.stop_fetch()
        assert "Stopped fetching" in window.message() and not window.stop_fetch_action.isEnabled()
        assert window.editor.toPlainText().startswith("Nimbus 3 scored")
    finally:
        httpd.shutdown()
        httpd.server_close()
