"""Pipe tables as drafts carry them: a row under a merged cell is still labelled by the cells left of its
figures, each row is a statement of its own, and a table a copy from the web ran onto one line reads as the
table it was."""
import pytest

from extractors.layout import join_wrapped_lines, table_cell
from factdesk.verdicts import VerdictKind

FACTS = """entity,attribute,value,unit,as_of,source_url,note
Orca 3,MMLU score (5-shot),71.2,%,2026-01-10,https://example.org/orca-3-card,
Orca 3,BoolQ score (0-shot),80.1,%,2026-01-10,https://example.org/orca-3-card,
Orca 3,HellaSwag score (10-shot),80.1,%,2026-01-10,https://example.org/orca-3-card,
Orca 2,MMLU score (5-shot),65.0,%,2025-03-02,https://example.org/orca-2-card,
Orca 2,BoolQ score (0-shot),77.4,%,2025-03-02,https://example.org/orca-2-card,
Orca 2,HellaSwag score (10-shot),79.3,%,2025-03-02,https://example.org/orca-2-card,
"""

TABLE = ("How the two generations compare on Orca's own evaluation:\n\n"
         "| Category | Benchmark | Shots | Orca 2 | Orca 3 |\n"
         "| --- | --- | --- | --- | --- |\n"
         "| General | MMLU | 5 | 65.0 | 71.2 |\n"
         "|  | BoolQ | 0 | 77.4 | 80.1 |\n"
         "|  | HellaSwag | 10 | 79.3 | 80.1 |\n\n"
         "The newer model wins every row.\n")


@pytest.fixture(scope="module")
def checker(checker_on):
    return checker_on(FACTS, as_of="2026-03-01")


def _run_together(table: str) -> str:
    """The table as a copy from a web page leaves it: its rows on one line, a space between them."""
    lines = table.split("\n")
    return "\n".join(lines[:2] + [" ".join(lines[2:7])] + lines[7:])


def test_a_row_under_a_merged_cell_is_labelled_by_the_cells_left_of_its_figure():
    cell = table_cell(TABLE, TABLE.find("77.4"))
    assert TABLE[slice(*cell.first)] == "BoolQ"
    assert [TABLE[slice(*span)] for span in cell.labels] == ["BoolQ"]        # not the shots' "0"
    assert TABLE[slice(*cell.header)] == "Orca 2"
    top = table_cell(TABLE, TABLE.find("71.2"))
    assert [TABLE[slice(*span)] for span in top.labels] == ["General", "MMLU"]


def test_a_table_run_onto_one_line_gets_its_rows_back_at_the_same_offsets():
    flat = _run_together(TABLE)
    assert flat.count("\n") == TABLE.count("\n") - 4
    restored = join_wrapped_lines(flat)
    assert len(restored) == len(flat)
    assert restored.replace("\n", " ") == flat.replace("\n", " ")
    assert restored.split("\n")[2:7] == TABLE.split("\n")[2:7]          # the empty merged cells kept


def test_a_line_that_only_looks_like_a_table_is_left_alone():
    prose = "Scores | ranked | |---| by hand | | and more words |"
    assert join_wrapped_lines(prose) == prose
    one_row = "| Model | Price |\n|---|---|\n| Orca 3 | $2.50 |"
    assert join_wrapped_lines(one_row) == one_row


def test_each_table_row_is_a_sentence_of_its_own(checker):
    rows = {}
    for v in checker.check_text(TABLE).verdicts:
        if TABLE.find("| General") <= v.claim.start:
            rows.setdefault(v.claim.sentence_start, []).append(v.claim.text)
    assert list(rows.values()) == [["5", "65.0", "71.2"], ["0", "77.4", "80.1"], ["10", "79.3", "80.1"]]


@pytest.mark.parametrize("layout", ["table", "run together"])
def test_a_figure_is_read_as_its_rows_benchmark_and_its_columns_model(checker, layout):
    text = TABLE if layout == "table" else _run_together(TABLE)
    got = {}
    for v in checker.check_text(text).verdicts:
        got.setdefault(v.claim.text, []).append(v)
    boolq, hellaswag = got["80.1"]
    assert boolq.kind is VerdictKind.VERIFIED and boolq.fact.attribute == "BoolQ score (0-shot)"
    assert hellaswag.kind is VerdictKind.VERIFIED and hellaswag.fact.attribute == "HellaSwag score (10-shot)"
    assert {v.fact.entity for v in (boolq, hellaswag)} == {"Orca 3"}
    assert got["77.4"][0].kind is VerdictKind.VERIFIED and got["77.4"][0].fact.entity == "Orca 2"


CHIPS = """entity,attribute,value,unit,as_of,source_url,note
Tarn X9-900K,total cores,24,cores,2026-01-10,https://example.org/tarn-x9,
Tarn X9-900K,threads,32,threads,2026-01-10,https://example.org/tarn-x9,
Tarn X9-900K,max turbo frequency,6.0,GHz,2026-01-10,https://example.org/tarn-x9,
Tarn X9-900K,recommended price,589,USD,2026-01-10,https://example.org/tarn-x9,
Tarn X7-700K,total cores,20,cores,2026-01-10,https://example.org/tarn-x7,
Tarn X7-700K,threads,28,threads,2026-01-10,https://example.org/tarn-x7,
Tarn X7-700K,max turbo frequency,5.6,GHz,2026-01-10,https://example.org/tarn-x7,
Tarn X7-700K,recommended price,410,USD,2026-01-10,https://example.org/tarn-x7,
"""

# a spec table copied from a web page without its cell borders: a header of names, rows of a label and figures
BORDERLESS = ("Tarn's new desktop chips arrive next week. Here is how they compare:\n\n"
              "Tarn X9-900K/KF Tarn X7-700K/KF\n"
              "Cores/Threads 24 (8+16) / 32 20 (8+12) / 24\n"
              "Max turbo frequency 6GHz 5.6GHz\n"
              "Recommended price $590 $410\n"
              "Both go on sale on Tuesday.\n")


def test_a_borderless_table_deals_each_rows_figures_to_its_header_names(checker_on):
    from extractors.layout import column_cell

    names = [(BORDERLESS.find("Tarn X9"), BORDERLESS.find("/KF")), (BORDERLESS.find("Tarn X7"),
                                                                     BORDERLESS.rfind("/KF"))]
    row = BORDERLESS.find("Cores/Threads")
    cell = column_cell(BORDERLESS, BORDERLESS.find("20 (8", row), names)
    assert BORDERLESS[slice(*cell.header)] == "Tarn X7-700K" and BORDERLESS[slice(*cell.cell)] == "20 (8+12) / 24"
    assert [BORDERLESS[slice(*lab)] for lab in cell.labels] == ["Cores/Threads"]
    # a line of prose is no row, and a row whose figures the names do not share evenly is left alone
    assert column_cell(BORDERLESS, BORDERLESS.find("Tuesday") - 3, names) is None
    odd = BORDERLESS.replace("$590 $410", "$590 $410 $320")
    assert column_cell(odd, odd.find("$410"), names) is None

    checker = checker_on(CHIPS, as_of="2026-03-01")
    got = {}
    for v in checker.check_text(BORDERLESS).verdicts:
        got.setdefault(v.claim.text, []).append(v)
    assert got["5.6GHz"][0].kind is VerdictKind.VERIFIED and got["5.6GHz"][0].fact.entity == "Tarn X7-700K"
    assert got["$410"][0].kind is VerdictKind.VERIFIED and got["$410"][0].fact.entity == "Tarn X7-700K"
    threads = [v for v in got["24"] if v.claim.start > BORDERLESS.find("20 (8")][0]
    # the X7's 24 threads is wrong (28): never confirmed by the X9's 24 cores, which sit in the other column
    assert threads.kind is not VerdictKind.VERIFIED and threads.entity == "Tarn X7-700K"
