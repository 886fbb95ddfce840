"""Drafts in the formats newsrooms keep: .txt, .md, .html, .docx (documents written for these tests)."""
import docx
import pytest

from factdesk.errors import InputError
from factdesk.textio import read_document


def test_docx_paragraphs_and_tables(tmp_path):
    d = docx.Document()
    d.add_heading("Kestrel Board 2 review", 1)
    d.add_paragraph("The Kestrel Board 2 starts with 2GB of RAM and tops out at 16GB.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "CPU clock", "3.1 GHz"
    table.cell(1, 0).text, table.cell(1, 1).text = "Process", "5nm"
    path = tmp_path / "review.docx"
    d.save(path)
    text = read_document(path).text
    assert text.split("\n\n") == ["Kestrel Board 2 review",
                                  "The Kestrel Board 2 starts with 2GB of RAM and tops out at 16GB.",
                                  "CPU clock | 3.1 GHz", "Process | 5nm"]


def test_docx_that_is_not_a_word_file(tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError) as err:
        read_document(bad)
    assert err.value.code == "FD110" and "\n" not in str(err.value)


def test_html_keeps_readable_text_and_structure(tmp_path):
    page = tmp_path / "draft.html"
    page.write_text("""<!doctype html><html><head><title>t</title><style>p{color:red}</style>
      <script>var price = "$999";</script></head><body><nav>Home | Reviews</nav>
      <article><h1>Nimbus 3 launches</h1><p>Nimbus 3 costs <b>$3</b> per million
      input tokens.<br>Output costs $12.</p><ul><li>Context: 262,144 tokens</li><li>Arcbench Pro: 71.4%</li></ul>
      <!-- editor: check the $5 figure --></article></body></html>""", encoding="utf-8")
    text = read_document(page).text
    assert "$999" not in text and "Home" not in text and "$5" not in text and "color" not in text
    assert "Nimbus 3 launches\n\nNimbus 3 costs $3 per million input tokens.\nOutput costs $12." in text
    assert "- Context: 262,144 tokens\n\n- Arcbench Pro: 71.4%" in text


def test_markdown_is_read_as_its_text_and_crlf_folded(tmp_path):
    md = tmp_path / "draft.md"
    md.write_bytes(("# Nimbus 3\r\n\r\nIt scored **71.4%** on [Arcbench Pro](https://example.org/a_b). 🚀\r\n"
                    "* costs `$3` per million input tokens\r\n\r\n| Model | Price |\r\n|---|---|\r\n"
                    "| Nimbus 3 | $3 |\r\n\r\n```\r\nprice = 99\r\n```\r\n").encode("utf-8"))
    assert read_document(md).text == ("Nimbus 3\n\nIt scored 71.4% on Arcbench Pro. 🚀\n"
                                      "- costs $3 per million input tokens\n\nModel | Price\n\nNimbus 3 | $3\n")
    plain = tmp_path / "draft.txt"
    plain.write_bytes(b"It scored **71.4%**.\r\n")
    assert read_document(plain).text == "It scored **71.4%**.\n"     # .txt is taken as written
