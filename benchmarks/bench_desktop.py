"""Desktop start-up and responsiveness, as ratios to baselines measured in the same process.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_desktop.py [--large-mb 1.0]

Prints: time from launch to window shown and to checking-ready, next to a bare `spacy.load` of the same
model (the floor for "ready"); then, on a generated article of --large-mb megabytes, the check time next to
raw spaCy `nlp.pipe` on the same text, and the longest the GUI thread went without processing events
(the "freeze"), measured with a 10 ms timer while the check runs and its results are shown.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PARAGRAPH = ("GPT-4.1 scored 54.6% on SWE-bench Verified and costs $2 per million input tokens, while "
             "GPT-4.1 mini costs $0.40 per million input tokens. The context window is one million tokens, "
             "up from 128,000 tokens for GPT-4o. Reviewers wrote about the launch at length, comparing it "
             "with earlier releases and quoting developers who had tried it in their own products.\n\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--large-mb", type=float, default=0.25, help="size of the responsiveness article (MB)")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    # baseline first, in this process: importing spaCy and loading the same model, nothing else
    b0 = time.perf_counter()
    from extractors.pipeline import _base_model
    nlp, info = _base_model()
    raw_load = time.perf_counter() - b0
    model = info.model

    t0 = time.perf_counter()
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.settings import DesktopSettings
    from desktop.window import MainWindow

    app = QApplication.instance() or QApplication([])
    tmp = tempfile.mkdtemp()
    settings = DesktopSettings(QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, REPO / "claims.db")
    window.show()
    app.processEvents()
    shown = time.perf_counter() - t0
    ready = {}
    window.engineReady.connect(lambda _i: ready.setdefault("t", time.perf_counter() - t0))
    while "t" not in ready:
        app.processEvents()
        time.sleep(0.005)
    print(f"start-up: window shown {shown:.2f}s, checking ready {ready['t']:.2f}s; baseline import spaCy + "
          f"load '{model}' {raw_load:.2f}s; ready/baseline ratio {ready['t'] / raw_load:.2f}")

    text = PARAGRAPH * max(1, int(args.large_mb * 1_000_000 / len(PARAGRAPH)))
    words = len(text.split())
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.editor.setPlainText(text)
    done = {}
    window.checkFinished.connect(lambda _r: done.setdefault("t", time.perf_counter()))
    timer.start(10)
    c0 = time.perf_counter()
    window.check_now()
    while "t" not in done:
        app.processEvents()
        time.sleep(0.002)
    for _ in range(20):           # let the table and marks paint
        app.processEvents()
        time.sleep(0.005)
    timer.stop()
    check_s = done["t"] - c0
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    worst = max(gaps) if gaps else float("nan")

    nlp.max_length = len(text) + 1
    r0 = time.perf_counter()
    for _ in nlp.pipe([text]):
        pass
    raw_s = time.perf_counter() - r0
    print(f"{len(text) / 1e6:.2f} MB, {words:,} words, {window.model.rowCount():,} claims: desktop check "
          f"{check_s:.1f}s, raw spaCy nlp.pipe {raw_s:.1f}s, ratio {raw_s / check_s:.2f} of raw speed; "
          f"longest GUI stall {worst * 1000:.0f} ms")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
