"""`factdesk-desktop [FILE] [--db DB] [--screenshot OUT.png]`: start the desktop app."""
from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import sys
import time
from pathlib import Path

LOG = logging.getLogger("factdesk.desktop")


def log_path() -> Path:
    """The log file under the user's log directory."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("factdesk", appauthor=False)) / "factdesk-desktop.log"


def setup_logging(path: Path) -> Path | None:
    """Log to a rotating file; returns the file, or None when it cannot be written (logging then goes nowhere)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        logging.getLogger("factdesk").addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger("factdesk")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    return path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="factdesk-desktop", description="Check the numbers in an article, in place.")
    p.add_argument("file", nargs="?", help="draft to open (.txt, .md, .html, .docx)")
    p.add_argument("--db", help="reference database (default: the last one used, else the shipped claims.db)")
    p.add_argument("--screenshot", metavar="OUT.png", help="open FILE, check it, save a screenshot and exit")
    p.add_argument("--settings", metavar="INI", help="keep settings in this INI file instead of the user's")
    p.add_argument("--size", default="1280x800", type=_size, help="window size for --screenshot (default 1280x800)")
    p.add_argument("--panel", choices=("facts", "add-fact"),
                   help="with --screenshot: capture the reference browser, or the add-fact form for the first "
                        "unverified claim, instead of the main window")
    p.add_argument("--timing", action="store_true", help="print start-up timings as JSON once ready, then exit")
    return p


def _size(text: str) -> tuple[int, int]:
    """ "1280x800" -> (1280, 800), for --size."""
    w, sep, h = text.lower().partition("x")
    if sep and w.isdigit() and h.isdigit() and 320 <= int(w) <= 8192 and 240 <= int(h) <= 8192:
        return int(w), int(h)
    raise argparse.ArgumentTypeError(f"'{text}' is not a window size; write it as WIDTHxHEIGHT, e.g. 1280x800")


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = _parser().parse_args(argv)
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from factdesk.cli import default_db

    from .settings import DesktopSettings
    from .window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("factdesk")
    app.setOrganizationName("factdesk")
    logfile = setup_logging(log_path())
    qsettings = QSettings(args.settings, QSettings.Format.IniFormat) if args.settings else QSettings()
    settings = DesktopSettings(qsettings)
    remembered = settings.database()
    database = Path(args.db) if args.db else (remembered if remembered and remembered.exists() else default_db())

    window = MainWindow(settings, database, log_file=logfile)

    def excepthook(kind, value, tb):  # a bug must become a message and a log entry, not a crash
        LOG.error("unhandled error", exc_info=(kind, value, tb))
        where = f"; details in {logfile}" if logfile else ""
        window.notify(f"[FD900] unexpected error ({kind.__name__}){where}", error=True)

    sys.excepthook = excepthook

    if args.screenshot:
        window.resize(*args.size)
    window.show()
    shown = time.perf_counter()

    status = {"code": 0}
    if args.timing:
        def report_timing(_info) -> None:
            print(json.dumps({"window_shown_s": round(shown - started, 3),
                              "ready_s": round(time.perf_counter() - started, 3)}), flush=True)
            window.close()
        window.engineReady.connect(report_timing)
        window.problem.connect(lambda msg: (print(msg, file=sys.stderr), window.close()))

    if args.panel and not args.screenshot:
        print("factdesk-desktop: [FD114] --panel chooses what --screenshot pictures; add --screenshot OUT.png",
              file=sys.stderr)
        return 2
    if args.panel == "add-fact" and not args.file:
        print("factdesk-desktop: [FD114] --panel add-fact needs a DRAFT with an unverified claim", file=sys.stderr)
        return 2
    if args.screenshot and args.file and not window.open_file(args.file):
        # a draft that will not open ends the run at once, with its one-line reason
        print(f"factdesk-desktop: {window.message()}", file=sys.stderr)
        window.close()
        return 2

    if args.screenshot:
        out = Path(args.screenshot)

        def target():
            if window.engine_info is None:
                return window          # nothing was loaded: the window shows why
            if args.panel == "facts":
                browser = window.open_reference_browser()
                if browser is not None and window.report is not None and window.report.verdicts:
                    v = next((v for v in window.report.verdicts if v.fact), None)
                    if v is not None:
                        browser.search.setText(v.fact.entity)
                        browser.refresh_facts()
                        browser.select_fact(v.fact.id)
                return browser
            if args.panel == "add-fact" and window.report is not None:
                unverified = [i for i, v in enumerate(window.report.verdicts) if v.kind.value == "unverified"]
                figures = [i for i in unverified if window.report.verdicts[i].claim.quantity.kind.value not in ("date", "count")]
                row = (figures or unverified or [None])[0]
                return window.add_claim_as_fact(row) if row is not None else None
            return window

        taken = {"done": False}

        def snap(*_):
            if taken["done"]:        # a failure while taking it (a panel that will not open) must not loop
                return
            taken["done"] = True
            widget = target() or window
            for _ in range(3):
                app.processEvents()
            ok = widget.grab().save(str(out))
            if not ok:
                print(f"factdesk-desktop: cannot write {out}", file=sys.stderr)
                status["code"] = 2
            window.close()

        def failed(msg: str) -> None:
            if not window.engine_info or not args.file:
                print(f"factdesk-desktop: {msg}", file=sys.stderr)
                status["code"] = 2
                QTimer.singleShot(0, snap)

        window.checkFinished.connect(lambda _r: QTimer.singleShot(300, snap))
        window.problem.connect(failed)
        if not args.file:
            window.engineReady.connect(lambda _i: QTimer.singleShot(300, snap))
        QTimer.singleShot(180_000, lambda: (print("factdesk-desktop: timed out", file=sys.stderr), snap()))

    if args.file and not args.screenshot:
        window.open_file(args.file)     # if it will not open, the status bar says why

    code = app.exec()
    return status["code"] or code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
