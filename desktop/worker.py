"""The one worker helper: long jobs run one at a time on a background thread, results come back as signals.

Jobs are plain callables taking a `JobContext`. The thread keeps `context.state` between jobs, so the
spaCy pipeline and the SQLite connection that thread opened stay with it (SQLite connections never cross
threads; the GUI thread opens its own when it needs one).
"""
from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from factdesk.errors import FactdeskError

log = logging.getLogger("factdesk.desktop")


class Cancelled(Exception):
    """Raised inside a job (by `JobContext.check_cancelled`) to stop it early."""


@dataclass
class JobContext:
    """What a job may use: the thread's state, a cancel flag, and a way to report progress."""

    job_id: int
    state: dict[str, Any]
    _cancel: threading.Event
    _progress: Callable[[int, object], None]

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, payload: object) -> None:
        self._progress(self.job_id, payload)


class _Runner(QObject):
    """Lives on the worker thread and runs what it is sent, in order."""

    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)
    progressed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.state: dict[str, Any] = {}
        self.flags: dict[int, threading.Event] = {}
        self.lock = threading.Lock()

    @Slot(int, object)
    def run(self, job_id: int, fn: Callable[[JobContext], Any]) -> None:
        with self.lock:
            flag = self.flags.setdefault(job_id, threading.Event())
        ctx = JobContext(job_id, self.state, flag, self.progressed.emit)
        try:
            if flag.is_set():
                raise Cancelled()
            result = fn(ctx)
        except Cancelled:
            self.cancelled.emit(job_id)
        except FactdeskError as exc:
            log.warning("job %s failed: %s", job_id, exc)
            self.failed.emit(job_id, str(exc))
        except MemoryError:
            log.exception("job %s ran out of memory", job_id)
            self.failed.emit(job_id, "[FD901] out of memory; check a shorter text or close other programs")
        except Exception as exc:  # noqa: BLE001 - a worker must never take the app down
            log.exception("job %s crashed", job_id)
            self.failed.emit(job_id, f"[FD900] unexpected error ({type(exc).__name__}); details are in the log file")
        else:
            self.finished.emit(job_id, result)
        finally:
            with self.lock:
                self.flags.pop(job_id, None)


class Worker(QObject):
    """Submit callables; `finished(id, result)`, `failed(id, message)`, `cancelled(id)` arrive on the GUI thread."""

    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)
    progressed = Signal(int, object)
    _dispatch = Signal(int, object)

    def __init__(self, parent: QObject | None = None, name: str = "factdesk-worker") -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._dispatch.connect(self._runner.run)
        self._runner.finished.connect(self.finished)
        self._runner.failed.connect(self.failed)
        self._runner.cancelled.connect(self.cancelled)
        self._runner.progressed.connect(self.progressed)
        self._thread.start()

    def submit(self, fn: Callable[[JobContext], Any]) -> int:
        """Queue a job; returns its id."""
        job_id = next(self._ids)
        with self._runner.lock:
            self._runner.flags[job_id] = threading.Event()
        self._dispatch.emit(job_id, fn)
        return job_id

    def cancel(self, job_id: int) -> None:
        """Ask a queued or running job to stop (a running one stops at its next `check_cancelled`)."""
        with self._runner.lock:
            flag = self._runner.flags.get(job_id)
        if flag is not None:
            flag.set()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the thread after the running job; queued jobs are dropped."""
        with self._runner.lock:
            for flag in self._runner.flags.values():
                flag.set()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            # a QThread destroyed while running aborts the process: wait for the job's next stopping point
            log.warning("worker thread still busy after %d ms; waiting for the running job to stop", timeout_ms)
            self._thread.wait()
