"""The "Add fact" form: every field of a fact, prefilled from a claim when there is one, checked on save."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from factdesk.errors import FactdeskError
from factdesk.facts import Fact
from factdesk.store import ReferenceStore

_FIELDS = ("entity", "attribute", "value", "unit", "as_of", "source_url", "note", "valid_from", "valid_to")
_ERROR_STYLE = "border: 1px solid #b42318; border-radius: 3px;"


class FactDialog(QDialog):
    """Collects one fact and saves it with `store.add_fact`; stays open, with the reason, while it is refused."""

    def __init__(self, store: ReferenceStore, prefill: dict | None = None, claim_text: str = "",
                 parent: QWidget | None = None, sentence: str = "", similar: list | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("factDialog")
        self.setWindowTitle("Add fact to the reference database")
        self.setMinimumWidth(560)
        self.store = store
        self.saved: Fact | None = None
        prefill = prefill or {}

        self.fields: dict[str, QWidget] = {}
        entity = QComboBox(self)
        entity.setEditable(True)
        entity.addItems(store.entities())
        entity.setCurrentText(prefill.get("entity", ""))
        entity.lineEdit().setPlaceholderText("Product, model or company")
        self.fields["entity"] = entity
        hints = {
            "attribute": "What was measured, e.g. 'context window' or 'US launch price (128GB)'",
            "value": "The number as the source gives it, e.g. 1047576 or 0.40",
            "unit": "e.g. USD, percent, tokens, GB, date",
            "as_of": "YYYY-MM-DD: when the source said so",
            "source_url": "https://… the page the value comes from (required)",
            "note": "Optional: anything a colleague should know",
            "valid_from": "YYYY-MM-DD (optional)",
            "valid_to": "YYYY-MM-DD (optional)",
        }
        for name in _FIELDS[1:]:
            edit = QLineEdit(self)
            edit.setObjectName(f"field_{name}")
            edit.setPlaceholderText(hints[name])
            edit.setText(prefill.get(name, ""))
            edit.textEdited.connect(lambda _t, e=edit: e.setStyleSheet(""))
            self.fields[name] = edit

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Entity", entity)
        form.addRow("Attribute", self.fields["attribute"])
        value_row = QHBoxLayout()
        value_row.addWidget(self.fields["value"], 2)
        value_row.addWidget(QLabel("Unit"))
        value_row.addWidget(self.fields["unit"], 1)
        form.addRow("Value", value_row)
        form.addRow("Source", self.fields["source_url"])
        form.addRow("As of", self.fields["as_of"])
        period = QHBoxLayout()
        period.addWidget(self.fields["valid_from"])
        period.addWidget(QLabel("until"))
        period.addWidget(self.fields["valid_to"])
        form.addRow("Applies from", period)
        form.addRow("Note", self.fields["note"])

        if claim_text:
            said = _escape(sentence.strip()).replace(_escape(claim_text), f"<b>{_escape(claim_text)}</b>", 1) \
                if sentence else f"<b>{_escape(claim_text)}</b>"
            intro_text = (f"From the article: “{said}”<br>Check every field against the source before saving.")
        else:
            intro_text = "Every fact needs the page it comes from."
        intro = QLabel(intro_text)
        intro.setObjectName("factIntro")
        intro.setWordWrap(True)
        self.similar = QLabel("")
        self.similar.setObjectName("factSimilar")
        self.similar.setWordWrap(True)
        self.similar.setStyleSheet("color: #8a5a00;")
        if similar:
            listed = "; ".join(f"{_escape(f.attribute)} = {_escape(f.value)} {_escape(f.unit)}".rstrip()
                               for f in similar[:3])
            self.similar.setText(f"Already on file for {_escape(similar[0].entity)} with this value: {listed}. "
                                 f"If it is the same fact, there is nothing to add.")
        self.similar.setVisible(bool(similar))
        self.error = QLabel("")
        self.error.setObjectName("factError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.similar)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        first_empty = next((n for n in ("entity", "attribute", "value", "source_url") if not self.text(n)), "source_url")
        self.fields[first_empty].setFocus()

    def text(self, name: str) -> str:
        w = self.fields[name]
        return w.currentText().strip() if isinstance(w, QComboBox) else w.text().strip()

    def set_text(self, name: str, text: str) -> None:
        w = self.fields[name]
        w.setCurrentText(text) if isinstance(w, QComboBox) else w.setText(text)

    def record(self) -> dict:
        return {name: self.text(name) for name in _FIELDS}

    def save(self) -> bool:
        """Save the fact; on refusal, say why and mark the field at fault."""
        for w in self.fields.values():
            w.setStyleSheet("")
        try:
            self.saved = self.store.add_fact(self.record())
        except FactdeskError as exc:
            self.error.setText(str(exc))
            message = str(exc).split("] ", 1)[-1].removeprefix("fact not saved: ")
            field = next((n for n in _FIELDS if message.startswith(n + " ") or message.startswith(n + ":")), None)
            if field:
                self.fields[field].setStyleSheet(_ERROR_STYLE)
                self.fields[field].setFocus()
            return False
        self.accept()
        return True


def _escape(text: str) -> str:
    import html

    return html.escape(text)
