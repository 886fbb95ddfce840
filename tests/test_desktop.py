"""The desktop app, driven for real with pytest-qt (offscreen): marks, table, navigation, settings, errors."""
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import QObject, QPoint, QSettings, Qt, QTimer, QUrl, Slot  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from desktop.models import ClaimsFilter, ClaimsModel  # noqa: E402
from desktop.positions import OffsetMap  # noqa: E402
from desktop.settings import DesktopSettings  # noqa: E402
from desktop.window import MainWindow  # noqa: E402

LOAD_MS = 90_000

ARTICLE = ("Nimbus 3 review 🚀\r\n\r\n"
           "Nimbus 3 scored 71.4 percent on Arcbench Pro 🎉 and 80.2 percent on Arcbench Lite.\r\n"
           "Nimbus 3 costs $4 per million input tokens 💸 and $12 per million output tokens.\r\n"
           "The Kestrel Board 2 tops out at 16GB of RAM, and Zephyr 7 has 12 experts.\r\n")


@pytest.fixture()
def settings(tmp_path):
    return DesktopSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture()
def window(qtbot, settings, sample_db):
    # closed here rather than by qtbot: edits a test made are dropped first, so no save prompt waits
    w = MainWindow(settings, Path(sample_db))
    with qtbot.waitSignal(w.engineReady, timeout=LOAD_MS):
        w.show()
    yield w
    w.editor.document().setModified(False)
    w.close()
    w.deleteLater()


@pytest.fixture()
def draft(tmp_path):
    path = tmp_path / "nimbus-review.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))   # Windows line breaks and emoji on purpose
    return path


def open_and_check(qtbot, window, path):
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        assert window.open_file(str(path))
    return blocker.args[0]


def selected_text(window):
    return window.editor.textCursor().selectedText()


def test_marks_cover_exactly_the_engines_claims_with_emoji_and_crlf(qtbot, window, draft, checker):
    report = open_and_check(qtbot, window, draft)
    text = window.editor.toPlainText()
    assert "\r" not in text and "🚀" in text
    engine = checker.check_text(text)
    assert [(v.claim.start, v.claim.end, v.kind) for v in report.verdicts] == \
        [(v.claim.start, v.claim.end, v.kind) for v in engine.verdicts]
    offsets = OffsetMap(text)
    marks = window.editor.marks()
    assert len(marks) == len(engine.verdicts) >= 6
    for mark, v in zip(marks, engine.verdicts):
        start, end = window.editor.mark_span(mark.row)
        assert (start, end) == (offsets.to_qt(v.claim.start), offsets.to_qt(v.claim.end))
        c = window.editor.textCursor()
        c.setPosition(start)
        c.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        assert c.selectedText() == v.claim.text
    kinds = {v.claim.text: v.kind.value for v in report.verdicts}
    assert kinds["71.4 percent"] == "verified" and kinds["$4 per million input tokens"] == "conflicting"
    assert window.model.rowCount() == len(report.verdicts)
    assert "✗ 1" in window.summary_label.text()
    assert "sample" not in window.db_label.text() and "facts" in window.db_label.text()


def test_table_and_editor_stay_in_step(qtbot, window, draft):
    report = open_and_check(qtbot, window, draft)
    rows = report.verdicts
    # selecting a row selects its span
    target = next(i for i, v in enumerate(rows) if v.claim.text.startswith("$12"))
    window.table.selectRow(window.proxy.mapFromSource(window.model.index(target, 0)).row())
    assert selected_text(window) == rows[target].claim.text
    # moving the cursor into a span selects its row
    other = next(i for i, v in enumerate(rows) if v.claim.text == "16GB")
    start, end = window.editor.mark_span(other)
    c = window.editor.textCursor()
    c.setPosition(start + 1)
    window.editor.setTextCursor(c)
    current = window.table.currentIndex()
    assert window.proxy.mapToSource(current).row() == other


def test_verdict_and_text_filters(qtbot, window, draft):
    report = open_and_check(qtbot, window, draft)
    total = len(report.verdicts)
    verified = report.summary["verified"]
    window.kind_buttons["verified"].setChecked(False)
    assert window.proxy.rowCount() == total - verified
    kinds = {window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())}
    assert not any("Verified" in k for k in kinds)
    window.kind_buttons["verified"].setChecked(True)
    window.filter_edit.setText("output")
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, 1).data().startswith("$12")
    window.filter_edit.clear()
    assert window.proxy.rowCount() == total


def test_f8_and_shift_f8_walk_the_visible_claims(qtbot, window, draft):
    report = open_and_check(qtbot, window, draft)
    in_order = sorted(report.verdicts, key=lambda v: v.claim.start)
    c = window.editor.textCursor()
    c.setPosition(0)
    window.editor.setTextCursor(c)
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_F8)
    assert selected_text(window) == in_order[0].claim.text
    qtbot.keyClick(window.editor, Qt.Key.Key_F8)
    assert selected_text(window) == in_order[1].claim.text
    qtbot.keyClick(window.editor, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert selected_text(window) == in_order[0].claim.text
    qtbot.keyClick(window.editor, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)   # wraps to the last
    assert selected_text(window) == in_order[-1].claim.text
    # with only conflicting claims shown, F8 visits only those
    for kind in ("verified", "unverified"):
        window.kind_buttons[kind].setChecked(False)
    conflicting = [v.claim.text for v in in_order if v.kind.value == "conflicting"]
    seen = set()
    for _ in range(len(conflicting) + 1):
        qtbot.keyClick(window.editor, Qt.Key.Key_F8)
        seen.add(selected_text(window))
    assert seen == set(conflicting)


def test_editing_clears_stale_marks_and_rechecks(qtbot, window, draft):
    open_and_check(qtbot, window, draft)
    window._recheck_timer.setInterval(50)
    row = next(m.row for m in window.editor.marks() if m.text == "$12 per million output tokens")
    start, _ = window.editor.mark_span(row)
    c = window.editor.textCursor()
    c.setPosition(start + 1)
    c.setPosition(start + 3, QTextCursor.MoveMode.KeepAnchor)   # "$12" -> "$8"
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        c.insertText("8")
        assert window.editor.mark_span(row) is None           # the edited mark is gone at once
        assert window.model.is_stale(row)
        assert all(window.editor.mark_span(m.row) is not None for m in window.editor.marks() if m.row != row)
    fresh = {v.claim.text: v.kind.value for v in blocker.args[0].verdicts}
    assert fresh["$8 per million output tokens"] == "conflicting"
    assert not window.model.is_stale(row)


def test_settings_persist_through_an_injected_file(qtbot, tmp_path, sample_db, draft):
    ini = tmp_path / "persist.ini"
    first = MainWindow(DesktopSettings(QSettings(str(ini), QSettings.Format.IniFormat)), Path(sample_db))
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.engineReady, timeout=LOAD_MS):
        first.show()
    open_and_check(qtbot, first, draft)
    screen = first.screen().availableGeometry()
    first.resize(screen.width() - 37, screen.height() - 53)   # restoreGeometry keeps windows on screen
    first.splitter.setSizes([400, 300])
    first.auto_action.setChecked(False)
    size, split = first.size(), first.splitter.sizes()
    first.close()
    stored = QSettings(str(ini), QSettings.Format.IniFormat)
    assert Path(stored.value("database")) == Path(sample_db)
    assert stored.value("recentFiles", type=list)[0] == str(draft.resolve())
    second = MainWindow(DesktopSettings(QSettings(str(ini), QSettings.Format.IniFormat)), Path(sample_db))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == size and second.splitter.sizes() == split
    assert not second.auto_action.isChecked()
    assert [a.toolTip() for a in second.recent_menu.actions()] == [str(draft.resolve())]
    second.close()


def test_unreadable_files_become_one_line_messages(qtbot, window, tmp_path):
    messages = []
    window.problem.connect(messages.append)
    assert not window.open_file(str(tmp_path / "missing.txt"))
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    assert not window.open_file(str(binary))
    assert [m[:7] for m in messages] == ["[FD101]", "[FD105]"]
    assert all("\n" not in m for m in messages)
    assert window.message().startswith("[FD105]")


def test_a_missing_database_keeps_the_current_one(qtbot, window, draft, tmp_path):
    with qtbot.waitSignal(window.problem, timeout=LOAD_MS) as blocker:
        window.open_database(tmp_path / "nowhere.db")
    assert blocker.args[0].startswith("[FD201]") and "still using" in blocker.args[0]
    # checking still works against the database in use
    report = open_and_check(qtbot, window, draft)
    assert report.summary["verified"] >= 2
    from PySide6.QtWidgets import QMessageBox
    box = window.findChild(QMessageBox, "databaseError")
    assert box is not None and "Open Database" in box.informativeText()
    box.close()


def test_a_corrupt_database_is_refused_with_a_message(qtbot, window, tmp_path):
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with qtbot.waitSignal(window.problem, timeout=LOAD_MS) as blocker:
        window.open_database(bad)
    assert blocker.args[0].startswith("[FD2") and "\n" not in blocker.args[0]
    assert bad.read_bytes().startswith(b"this is not sqlite")        # left untouched


def test_a_crashing_job_is_a_message_not_a_crash(qtbot, window):
    def boom(ctx):
        raise RuntimeError("simulated bug")
    with qtbot.waitSignal(window.worker.failed, timeout=5000) as blocker:
        window.worker.submit(boom)
    assert blocker.args[1].startswith("[FD900]") and "log" in blocker.args[1]


def test_the_window_stays_responsive_while_checking(qtbot, window):
    paragraph = ("Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million input tokens, "
                 "while the Kestrel Board 2 runs at 3.1 GHz on a 5nm process. ")
    window.editor.setPlainText(paragraph * 400)           # about 8,000 words
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(window.checkFinished, timeout=300_000):
        window.check_now()
        qtbot.wait(600)
        assert window._check_running                        # still checking, yet the event loop ran
        assert len(ticks) >= 10
    timer.stop()
    assert window.model.rowCount() >= 400 * 4


def test_export_html_uses_the_report_code(qtbot, window, draft, tmp_path):
    report = open_and_check(qtbot, window, draft)
    out = tmp_path / "out" / "nimbus.html"
    with qtbot.waitSignal(window.worker.finished, timeout=20_000):
        window.export_html(str(out))
    page = out.read_text(encoding="utf-8")
    assert page.count('<span class="claim ') == len(report.verdicts)
    assert "🚀" in page and "nimbus-review.txt" in page


def test_models_pass_qtmodeltester(qtmodeltester, checker):
    report = checker.check_text(ARTICLE.replace("\r\n", "\n"))
    model = ClaimsModel()
    model.set_verdicts(report.verdicts)
    model.mark_stale({1})
    qtmodeltester.check(model)
    proxy = ClaimsFilter()
    proxy.setSourceModel(model)
    proxy.set_kind_visible("verified", False)
    proxy.set_text("million")
    proxy.sort(0)
    qtmodeltester.check(proxy)
    from desktop.batch_dialog import BatchModel, BatchRow
    batch = BatchModel()
    batch.add(BatchRow("a.txt", "/x/a.txt", {"verified": 2, "conflicting": 1, "unverified": 0}, None))
    batch.add(BatchRow("b.txt", "/x/b.txt", {"verified": 0, "conflicting": 0, "unverified": 0}, "[FD105] binary"))
    qtmodeltester.check(batch)
    from desktop.batch_dialog import BatchSort
    sorted_batch = BatchSort()
    sorted_batch.setSourceModel(batch)
    sorted_batch.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(sorted_batch)
    assert sorted_batch.index(0, 0).data() == "b.txt"          # not checked counts as worst


def test_offset_map_round_trips_wide_characters():
    text = "a😀b\n😀😀c – $5"
    m = OffsetMap(text)
    for i in range(len(text) + 1):
        q = m.to_qt(i)
        assert q == len(text[:i].encode("utf-16-le")) // 2
        assert m.from_qt(q) == i


def test_screenshot_flag_writes_a_png(tmp_path, sample_db, draft):
    out = tmp_path / "shot.png"
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "desktop.app", str(draft), "--db", str(sample_db),
                          "--screenshot", str(out), "--settings", str(tmp_path / "s.ini")],
                         capture_output=True, text=True, timeout=180, env=env)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000


def test_the_qt_binding_keeps_its_references_straight():
    # PySide6 6.12.0 on Python 3.11 decremented None on every void call until the interpreter aborted
    import gc

    from PySide6.QtGui import QTextDocument

    doc = QTextDocument("a long enough line of text\n" * 20)
    cursor = QTextCursor(doc)
    gc.collect()
    before = sys.getrefcount(None)
    for i in range(5000):
        cursor.setPosition(i % 50)
    gc.collect()
    assert sys.getrefcount(None) - before > -100


def test_ctrl_return_checks_and_a_dropped_file_opens(qtbot, window, draft):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    window.editor.setPlainText("Nimbus 3 scored 71.4 percent on Arcbench Pro.")
    window.editor.setFocus()
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [v.kind.value for v in blocker.args[0].verdicts] == ["verified"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(draft))])
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS):
        window.editor.dropEvent(drop)
    assert window.editor.toPlainText().startswith("Nimbus 3 review 🚀")
    assert window.windowTitle().startswith("nimbus-review.txt")


def test_tooltips_and_source_links(qtbot, window, draft):
    from PySide6.QtGui import QDesktopServices

    from desktop.editor import note_html
    from desktop.models import SOURCE

    report = open_and_check(qtbot, window, draft)
    v = next(v for v in report.verdicts if v.kind.value == "conflicting")
    tip = note_html(v)
    for needle in ("Conflicting", "Claimed:", "$4", "Reference:", "$3.00", "https://example.org/pricing",
                   "as of 2025-03-04", "Reference says"):
        assert needle in tip
    opened = []

    class Catcher(QObject):
        @Slot(QUrl)
        def open(self, url):
            opened.append(url.toString())

    catcher = Catcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    try:
        row = report.verdicts.index(v)
        index = window.proxy.mapFromSource(window.model.index(row, SOURCE))
        window.table.doubleClicked.emit(index)
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert opened == ["https://example.org/pricing"]


def test_without_a_model_the_status_bar_says_reduced_accuracy(qtbot, settings, sample_db, monkeypatch):
    import extractors.pipeline as pipeline

    monkeypatch.setattr(pipeline, "MODEL_PREFERENCE", ("no_such_model_pkg",))
    w = MainWindow(settings, Path(sample_db))
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.engineReady, timeout=LOAD_MS):
        w.show()
    assert "reduced accuracy" in w.model_label.text()
    with qtbot.waitSignal(w.checkFinished, timeout=LOAD_MS) as blocker:
        w.editor.setPlainText("Nimbus 3 scored 71.4 percent on Arcbench Pro.")
        w.check_now()
    assert blocker.args[0].reduced_accuracy
    w.close()


def test_worker_crashes_are_logged_with_their_traceback(qtbot, window, tmp_path):
    import logging

    from desktop.app import setup_logging

    log_file = setup_logging(tmp_path / "logs" / "factdesk-desktop.log")
    try:
        def boom(ctx):
            raise ZeroDivisionError("simulated")
        with qtbot.waitSignal(window.worker.failed, timeout=5000):
            window.worker.submit(boom)
        for h in logging.getLogger("factdesk").handlers:
            h.flush()
        text = log_file.read_text(encoding="utf-8")
        assert "ZeroDivisionError: simulated" in text and "Traceback" in text
    finally:
        root = logging.getLogger("factdesk")
        for h in list(root.handlers):
            if getattr(h, "baseFilename", "").startswith(str(tmp_path)):
                root.removeHandler(h)
                h.close()


def test_batch_dialog_checks_a_folder_opens_drafts_and_exports(qtbot, window, tmp_path):
    folder = tmp_path / "desk"
    (folder / "late").mkdir(parents=True)
    (folder / "a.txt").write_text("Nimbus 3 costs $4 per million input tokens.\n", encoding="utf-8")
    (folder / "late" / "b.md").write_text("Nimbus 3 scored 71.4 percent on Arcbench Pro.\n", encoding="utf-8")
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 8)
    dialog = window.open_batch()
    with qtbot.waitSignal(dialog.finished_run, timeout=LOAD_MS) as blocker:
        dialog.start(str(folder))
    entries = {e.name: e for e in blocker.args[0]}
    assert set(entries) == {"a.txt", "late/b.md", "broken.txt"}
    assert entries["a.txt"].summary["conflicting"] == 1 and entries["broken.txt"].error.startswith("[FD105]")
    shown = {dialog.model.rows[r].name: dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())}
    assert shown == {"a.txt": "1", "late/b.md": "0", "broken.txt": ""}
    assert "could not be checked" in dialog.status.text()
    # worst first: the draft that could not be checked, then the one with a conflict; any column sorts
    assert dialog.shown_names() == ["broken.txt", "a.txt", "late/b.md"]
    dialog.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert dialog.shown_names() == ["a.txt", "broken.txt", "late/b.md"]
    # open a draft from the results in the editor
    row = dialog.shown_names().index("late/b.md")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS):
        dialog.table.doubleClicked.emit(dialog.proxy.index(row, 0))
    assert window.editor.toPlainText().startswith("Nimbus 3 scored 71.4")
    # export the whole batch
    index = dialog.export_to(tmp_path / "export")
    page = index.read_text(encoding="utf-8")
    assert "a.txt" in page and "[FD105]" in page and (tmp_path / "export" / "late" / "b.md.html").exists()
    # a folder that cannot be written is a one-line message, not a crash
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    assert dialog.export_to(blocked) is None
    assert dialog.status.text().startswith("[FD111]") and "\n" not in dialog.status.text()
    dialog.close()


def test_batch_dialog_cancel_stops_between_drafts(qtbot, window, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"draft-{i:02}.txt").write_text(
            "Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million input tokens. " * 40,
            encoding="utf-8")
    dialog = window.open_batch()
    rows_at_cancel = []

    def cancel_when_started(job, payload):
        if payload[0] == "entry" and not rows_at_cancel:
            rows_at_cancel.append(dialog.model.rowCount())
            dialog.cancel()
    window.worker.progressed.connect(cancel_when_started)
    with qtbot.waitSignal(dialog.finished_run, timeout=LOAD_MS) as blocker:
        dialog.start(str(folder))
    window.worker.progressed.disconnect(cancel_when_started)
    assert rows_at_cancel and len(blocker.args[0]) < 60
    assert dialog.status.text().startswith("Cancelled after")
    assert dialog.choose_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog.close()


def _second_database(tmp_path, rows):
    """A small reference database of its own (facts written for these tests)."""
    from factdesk.store import ReferenceStore

    csv_path = tmp_path / "facts-b.csv"
    csv_path.write_text("entity,attribute,value,unit,as_of,source_url,note\n" + rows, encoding="utf-8")
    path = tmp_path / "b.db"
    store = ReferenceStore.open(path, create=True)
    store.import_csv(csv_path)
    store.close()
    return path


def test_switching_database_rechecks_the_same_text(qtbot, window, tmp_path):
    window.editor.setPlainText("Nimbus 3 scored 71.4 percent on Arcbench Pro.")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as first:
        window.check_now()
    assert [v.kind.value for v in first.args[0].verdicts] == ["verified"]
    other = _second_database(tmp_path, "Nimbus 3,Arcbench Pro score,69.9,percent,2025-05-01,https://example.org/rerun,\n")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as second:
        window.open_database(other)
    assert [v.kind.value for v in second.args[0].verdicts] == ["conflicting"]
    assert window.database == other.resolve() and "b.db (1 facts)" in window.db_label.text()
    assert Path(window.settings.database()).is_absolute()


def test_facts_added_elsewhere_are_used_at_the_next_check(qtbot, window, sample_db, tmp_path):
    import shutil

    from factdesk.store import ReferenceStore

    db = tmp_path / "shared.db"
    shutil.copy(sample_db, db)
    with qtbot.waitSignal(window.engineReady, timeout=LOAD_MS):
        window.open_database(db)
    before = window.db_label.text()
    window.editor.setPlainText("The Tarn 4 weighs 188 grams.")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        window.check_now()
    assert [v.kind.value for v in blocker.args[0].verdicts] == ["unverified"]
    # a colleague (another connection: the command line) adds the entity and its weight
    (tmp_path / "tarn.csv").write_text("entity,attribute,value,unit,as_of,source_url,note\n"
                                       "Tarn 4,weight,188,g,2025-01-10,https://example.org/tarn,\n", encoding="utf-8")
    other = ReferenceStore.open(db)
    other.import_csv(tmp_path / "tarn.csv")
    other.close()
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        window.check_now()
    (v,) = blocker.args[0].verdicts
    assert v.kind.value == "verified" and v.entity == "Tarn 4"   # a new name, known without a restart
    assert window.db_label.text() != before


def test_an_error_at_launch_stays_in_view_when_the_engine_is_ready(qtbot, settings, sample_db, tmp_path):
    w = MainWindow(settings, Path(sample_db))
    qtbot.addWidget(w)
    w.show()
    assert not w.open_file(str(tmp_path / "gone.txt"))       # before the model is ready
    with qtbot.waitSignal(w.engineReady, timeout=LOAD_MS):
        pass
    assert w.message().startswith("[FD101]")
    w.close()


def test_save_as_marks_the_window_and_close_asks_first(qtbot, window, draft, tmp_path):
    from PySide6.QtWidgets import QApplication, QMessageBox

    open_and_check(qtbot, window, draft)
    assert window.windowTitle() == "nimbus-review.txt[*] — factdesk" and not window.isWindowModified()
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText("It ships on 4 May.\n")
    assert window.isWindowModified()

    def answer(button):
        box = next(b for b in QApplication.topLevelWidgets() if b.objectName() == "unsavedChanges" and b.isVisible())
        box.button(button).click()
    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Cancel))
    window.close()
    assert window.isVisible()                                   # Cancel keeps the window and the edit
    out = tmp_path / "saved" / "nimbus.md"
    assert window.save_to(out)
    assert out.read_text(encoding="utf-8").endswith("It ships on 4 May.\n") and not window.isWindowModified()
    assert window.windowTitle().startswith("nimbus.md") and window.save_path == out
    assert "\r" not in out.read_text(encoding="utf-8")


def test_article_date_chooses_the_facts_and_bad_dates_are_refused(qtbot, window, tmp_path):
    window.editor.setPlainText("Nimbus 3 scored 71.4 percent on Arcbench Pro.")
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        window.check_now()
    assert blocker.args[0].as_of_basis == "today"
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS) as blocker:
        window.date_edit.setText("2025-06")
        assert window.set_as_of(window.date_edit.text())
    assert (blocker.args[0].as_of, blocker.args[0].as_of_basis) == ("2025-06-01", "given")
    assert window.date_edit.text() == "2025-06-01" and "facts valid on 2025-06-01" in window.message()
    assert not window.set_as_of("June 31st")
    assert window.message().startswith("[FD116]") and window.as_of == "2025-06-01"


def test_undo_back_to_the_checked_text_brings_the_marks_back(qtbot, window, draft):
    open_and_check(qtbot, window, draft)
    window.auto_action.setChecked(False)
    row = next(m.row for m in window.editor.marks() if m.text == "16GB")
    start, _ = window.editor.mark_span(row)
    c = window.editor.textCursor()
    c.setPosition(start)
    c.insertText("3")                                      # "316GB"
    assert window.editor.mark_span(row) is None and window.model.is_stale(row)
    with qtbot.waitSignal(window.checkFinished, timeout=5000):
        window.editor.undo()
    assert window.editor.mark_span(row) is not None and not window.model.is_stale(row)
    assert window.editor.toPlainText().count("316GB") == 0 and window._checked_revision == window._revision


def test_verdict_counts_follow_the_text_filter(qtbot, window, draft):
    report = open_and_check(qtbot, window, draft)
    s = report.summary
    assert window.kind_buttons["verified"].text().endswith(f" {s['verified']}")
    window.filter_edit.setText("Arcbench")
    arcbench = [v for v in report.verdicts if "Arcbench" in (v.fact.attribute if v.fact else "")]
    assert arcbench and window.kind_buttons["verified"].text().endswith(
        f" {sum(v.kind.value == 'verified' for v in arcbench)}")
    assert window.kind_buttons["conflicting"].text().endswith(" 0")
    window.filter_edit.clear()
    assert window.kind_buttons["conflicting"].text().endswith(f" {s['conflicting']}")


def test_enter_and_the_context_menu_open_a_claims_source(qtbot, window, draft):
    from PySide6.QtGui import QDesktopServices

    report = open_and_check(qtbot, window, draft)
    opened = []

    class Catcher(QObject):
        @Slot(QUrl)
        def open(self, url):
            opened.append(url.toString())

    catcher = Catcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    try:
        row = next(i for i, v in enumerate(report.verdicts) if v.claim.text.startswith("$4"))
        window.table.setFocus()
        window.table.selectRow(window.proxy.mapFromSource(window.model.index(row, 0)).row())
        qtbot.keyClick(window.table, Qt.Key.Key_Return)
        menu = window.claim_menu(row)
        labels = [a.text() for a in menu.actions()]
        assert labels[:2] == ["Open Source in Browser", "Copy Claim"]
        menu.actions()[0].trigger()
        other = draft.with_name("crowd.txt")
        other.write_text("The keynote drew 300 people to the hall.\n", encoding="utf-8")
        report = open_and_check(qtbot, window, other)
        assert report.verdicts[0].fact is None
        assert not window.claim_menu(0).actions()[0].isEnabled()
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert opened == ["https://example.org/pricing"] * 2


def test_the_gutter_shows_each_lines_worst_verdict_and_selects_it(qtbot, window, draft):
    report = open_and_check(qtbot, window, draft)
    editor = window.editor
    row = next(i for i, v in enumerate(report.verdicts) if v.claim.text.startswith("$4"))
    rect = editor.cursorRect(editor.mark_cursor(row))
    rows = editor.gutter_marks_at(rect.center().y())
    # a line's marks come worst first: the conflicting $4 before anything else on its line
    assert rows[0] == row
    order = {"conflicting": 0, "unverified": 1, "verified": 2}
    assert [order[report.verdicts[r].kind.value] for r in rows] == sorted(order[report.verdicts[r].kind.value]
                                                                          for r in rows)
    assert editor.gutter_marks_at(-50) == []
    other = next(i for i, v in enumerate(report.verdicts) if v.claim.text.startswith("$12"))
    editor.select_mark(other)
    qtbot.mouseClick(editor._gutter, Qt.MouseButton.LeftButton, pos=QPoint(8, rect.center().y()))
    assert selected_text(window) == report.verdicts[row].claim.text


def test_screenshot_of_a_missing_draft_fails_at_once(tmp_path, sample_db):
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "desktop.app", str(tmp_path / "nope.txt"), "--db", str(sample_db),
                          "--screenshot", str(tmp_path / "shot.png"), "--settings", str(tmp_path / "s.ini")],
                         capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 2 and "[FD101]" in run.stderr and not (tmp_path / "shot.png").exists()
    bad_size = subprocess.run([sys.executable, "-m", "desktop.app", "--size", "big", "--settings",
                               str(tmp_path / "s.ini")], capture_output=True, text=True, timeout=60, env=env)
    assert bad_size.returncode == 2 and "WIDTHxHEIGHT" in bad_size.stderr


def test_numbers_that_are_no_claim_are_greyed_and_strictness_is_a_preference(qtbot, window, tmp_path, settings):
    from desktop.editor import note_html

    path = tmp_path / "notes.txt"
    path.write_text("Nimbus 3 notes\n\nI ran the tests at 10:47 AM on my laptop.\n"
                    "Nimbus 3 scored 71.4 percent on Arcbench Pro and 80.2 percent on Arcbench Lite.\n",
                    encoding="utf-8")
    report = open_and_check(qtbot, window, path)
    greyed = [v for v in report.verdicts if not v.check_worthy]
    shown = [v for v in report.verdicts if v.check_worthy]
    assert greyed and any(v.claim.text.startswith("10:47") for v in greyed)
    assert any(v.kind.value == "verified" and v.claim.text.startswith("71.4") for v in shown)
    # out of the table and the counts until switched on, then listed as "Not a claim"
    assert window.proxy.rowCount() == len(shown)
    assert "·" not in window.summary_label.text()
    window.kind_buttons["not_a_claim"].setChecked(True)
    assert window.proxy.rowCount() == len(report.verdicts)
    labels = {window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())}
    assert any("Not a claim" in (t or "") for t in labels)
    # the tooltip states the confidence and the candidates weighed
    verified = next(v for v in shown if v.kind.value == "verified")
    tip = note_html(verified)
    assert "Confidence:" in tip and "Candidates:" in tip and "Arcbench Pro" in tip
    # strictness: a preference kept in the settings, used by the next check
    with qtbot.waitSignal(window.checkFinished, timeout=LOAD_MS):
        window.strictness_actions["strict"].trigger()
    assert settings.strictness() == "strict" and window.strictness_actions["strict"].isChecked()
