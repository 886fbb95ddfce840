"""The status bar's message: one line, elided to the room it has, the whole text in its tooltip."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class MessageLabel(QLabel):
    """Shows the latest message; an error stays until the next message, others fade after a timeout."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageLabel")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(6, 0, 6, 0)
        self._full = ""
        self.is_error = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)

    def message(self) -> str:
        """The whole message, however much of it fits."""
        return self._full

    def show_message(self, text: str, error: bool = False, timeout_ms: int = 0) -> None:
        self._full = text
        self.is_error = error
        self.setStyleSheet("color: #b42318; font-weight: 600;" if error else "")
        self.setToolTip(text)
        self._timer.stop()
        if timeout_ms and not error:
            self._timer.start(timeout_ms)
        self._elide()

    def clear_message(self) -> None:
        self.show_message("")

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.width() - 12)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))
