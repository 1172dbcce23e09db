"""Payer correspondence packets: each one is its payer's excerpt of the full report, traceable to it.

Packets and full reports are read back with the same independent readers (python-docx,
pdfplumber, pypdf) and compared cell by cell: the packet must print the report's own texts.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from generator.document.compose import full_title
from generator.document.model import Table
from generator.document.packet import ReportRef, packet_document
from generator.pipeline.manifest import SET_SUFFIX, sha256
from generator.pipeline.slug import MAX_LENGTH, slugify, unique_slugs
from generator.spec import load_spec
from generator.spec.model import concerns
from tests import readback_docx, readback_pdf
from tests.built import ROOT
from tests.cli import Result, run_cli

SPEC = ROOT / "specs" / "89253.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "other_code.yaml"  # no overview/context sections; Unicode payers
SPECS = [SPEC, FIXTURE]
PACKET_FORMATS = ("pdf", "docx")
READERS = {"pdf": readback_pdf, "docx": readback_docx}
FIELD_HEADER = ["Field", "Value"]
PAYER_HEADER = ["Payer", "Coverage", "Prior Authorization", "Policy Reference", "Last Reviewed", "Notes"]
MODIFIER_HEADER = ["Modifier", "Description", "When to Use"]
REFERENCES_HEADER = ["No.", "Source", "Author or Publisher", "Date", "Accessed"]
MARK = re.compile(r"\[(\d+(?:, \d+)*)\]")
BENCHMARK_HEADER = ["Metric", "Value", "Period", "Source"]
TITLE = "CPT 89253 \u2014 Assisted Embryo Hatching, Partial Zona Dissection"
AETNA_URL = "https://www.aetna.com/cpb/medical/data/300_399/0327.html"
AETNA_NEWSLETTER_URL = (
    "https://www.aetna.com/health-care-professionals/newsletters-news/office-link-updates-june-2019/"
    "important-reminders-june-2019/infertility-precertification-updates.html"
)
D3RX_URL = "https://d3rx.com/coverage/aetna/infertility-cpb-0327"
HIGHMARK_URL = "https://www.highmarkbcbswv.com/medpolicy/U-5-007.html"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

MINIMAL = """\
code: "99999"
title: Packet Test
version: "1.0"
as_of: 2026-01-01
sections:
  - title: Summary
    body: [Text.]
"""


@pytest.fixture(autouse=True)
def unpinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # timestamps from as_of


class Made:
    """One `packet` run into a fresh folder: its result, the full report and every packet."""

    def __init__(self, spec: Path, out: Path, *args: str) -> None:
        self.spec, self.out = spec, out
        self.result = run_cli("packet", spec, "-o", out, *args)
        assert self.result.status == 0, self.result.stderr

    @property
    def packets_dir(self) -> Path:
        return self.out / "packets"

    def report(self, fmt: str) -> bytes:
        return (self.out / f"{self.spec.stem}.{fmt}").read_bytes()

    def set_manifest(self) -> dict:
        return json.loads((self.out / f"{self.spec.stem}{SET_SUFFIX}").read_bytes())

    def stems(self) -> dict[str, str]:
        """payer name -> packet file stem, from the packet set's manifest."""
        found = {}
        for name, entry in self.set_manifest()["deliverables"].items():
            found[entry["payer"]] = Path(name).stem
        return found

    def packet(self, payer: str, fmt: str) -> bytes:
        return (self.packets_dir / f"{self.stems()[payer]}.{fmt}").read_bytes()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    cache: dict[Path, Made] = {}

    def make(spec: Path) -> Made:
        if spec not in cache:
            with pytest.MonkeyPatch.context() as patch:
                patch.delenv("SOURCE_DATE_EPOCH", raising=False)
                cache[spec] = Made(spec, tmp_path_factory.mktemp(f"packets-{spec.stem}"))
        return cache[spec]

    return make


def payer_names(spec: Path) -> list[str]:
    return [payer.payer for payer in load_spec(spec).spec.payers]


def cases() -> list[tuple[Path, str]]:
    return [(spec, name) for spec in SPECS for name in payer_names(spec)]


def table_by_header(tables: list[list[list[str]]], header: list[str]) -> list[list[str]]:
    matching = [table for table in tables if table[0] == header]
    assert len(matching) == 1, f"expected one table headed {header}, found {len(matching)}"
    return matching[0]


def references_of(tables: list[list[list[str]]]) -> dict[str, str]:
    """Number -> "title / publisher" from a document's own References table ({} when it has none)."""
    found = [table for table in tables if table[0] == REFERENCES_HEADER]
    return {row[0].strip("[]"): f"{row[1]} / {row[2]}" for row in found[0][1:]} if found else {}


def resolved(rows: list[list[str]], tables: list[list[list[str]]]) -> list[list[str]]:
    """`rows` with each citation mark's numbers replaced by the entries they point at in the
    document's own References: a packet numbers its sources itself, the report's numbers differ.
    A mark is a set of sources, so the entries are compared sorted."""
    entries = references_of(tables)

    def names(match: re.Match[str]) -> str:
        return "[" + "; ".join(sorted(entries[number] for number in match.group(1).split(", "))) + "]"

    return [[MARK.sub(names, cell) for cell in row] for row in rows]


def squashed(text: str) -> str:
    return " ".join(text.split())


def after_heading(paragraphs: list[str], heading: str) -> list[str]:
    """The DOCX paragraphs after a heading (its last occurrence: the contents list it first)."""
    return paragraphs[len(paragraphs) - paragraphs[::-1].index(heading) :]


def case_id(case: object) -> str:
    return case.stem if isinstance(case, Path) else re.sub(r"\W+", "_", str(case))


# ---------------------------------------------------------------- content


@pytest.mark.parametrize("spec", SPECS, ids=case_id)
def test_every_payer_gets_a_pdf_and_a_docx_packet(made, spec: Path) -> None:
    run = made(spec)
    assert sorted(run.stems()) == sorted(payer_names(spec))
    for stem in run.stems().values():
        assert stem.startswith(f"{spec.stem}-")
        for fmt in PACKET_FORMATS:
            assert (run.packets_dir / f"{stem}.{fmt}").is_file()
    # The folder users attach from holds the packets only: no manifest, no temporary file.
    assert sorted(p.name for p in run.packets_dir.iterdir()) == sorted(
        f"{stem}.{fmt}" for stem in run.stems().values() for fmt in PACKET_FORMATS
    )


@pytest.mark.parametrize("fmt", PACKET_FORMATS)
@pytest.mark.parametrize(("spec", "payer"), cases(), ids=case_id)
def test_the_payer_table_is_the_report_row_of_this_payer_only(made, spec: Path, payer: str, fmt: str) -> None:
    run = made(spec)
    reader = READERS[fmt]
    report_tables, packet_tables = reader.read_tables(run.report(fmt)), reader.read_tables(run.packet(payer, fmt))
    report_rows = resolved(table_by_header(report_tables, PAYER_HEADER)[1:], report_tables)
    (report_row,) = [row for row in report_rows if row[0] == payer]
    printed = table_by_header(packet_tables, FIELD_HEADER)[1:]
    fields = resolved(printed, packet_tables)
    assert [row[0] for row in fields] == PAYER_HEADER
    assert [row[1] for row in fields] == report_row
    fields = printed  # as printed: other payers' names must not appear (a reference's publisher may)
    others = [name for name in payer_names(spec) if name != payer and name not in payer]
    assert not [name for name in others for row in fields for cell in row if name in cell]


@pytest.mark.parametrize("fmt", PACKET_FORMATS)
@pytest.mark.parametrize("header", [MODIFIER_HEADER, BENCHMARK_HEADER], ids=["modifiers", "benchmarks"])
@pytest.mark.parametrize(("spec", "payer"), cases(), ids=case_id)
def test_modifiers_and_benchmarks_equal_the_full_report(made, spec: Path, payer: str, header: list[str], fmt: str) -> None:
    """The packet's rows are the report's rows that concern the payer, cell for cell, in order."""
    run = made(spec)
    reader = READERS[fmt]
    report_tables, packet_tables = reader.read_tables(run.report(fmt)), reader.read_tables(run.packet(payer, fmt))
    report_rows = resolved(table_by_header(report_tables, header), report_tables)
    loaded = load_spec(spec).spec
    spec_rows = loaded.modifiers if header == MODIFIER_HEADER else loaded.benchmarks
    assert len(report_rows) == len(spec_rows) + 1
    expected = [report_rows[0], *(row for row, source in zip(report_rows[1:], spec_rows) if concerns(source, payer))]
    assert resolved(table_by_header(packet_tables, header), packet_tables) == expected


MEDICARE_ONLY_MODIFIERS = ["GY", "GA", "GZ"]
NOT_FOR_PAYERS = "Negotiated rate for 89253"
MEDICARE_PAYMENT = "Medicare national payment amount for 89253"


@pytest.mark.parametrize("fmt", PACKET_FORMATS)
@pytest.mark.parametrize("payer", payer_names(SPEC))
def test_a_payer_specific_row_appears_only_in_that_payers_packet(made, payer: str, fmt: str) -> None:
    run = made(SPEC)
    reader = READERS[fmt]
    tables = reader.read_tables(run.packet(payer, fmt))
    modifiers = [row[0] for row in table_by_header(tables, MODIFIER_HEADER)[1:]]
    metrics = [squashed(row[0]) for row in table_by_header(tables, BENCHMARK_HEADER)[1:]]
    medicare = payer == "Medicare"
    assert [m for m in MEDICARE_ONLY_MODIFIERS if m in modifiers] == (MEDICARE_ONLY_MODIFIERS if medicare else [])
    assert "00" in modifiers  # a row for every payer
    assert (MEDICARE_PAYMENT in metrics) is medicare
    assert not [m for m in metrics if m.startswith(NOT_FOR_PAYERS)]  # not for any payer
    report = reader.read_tables(run.report(fmt))  # ... and the full report keeps every row
    report_metrics = [squashed(row[0]) for row in table_by_header(report, BENCHMARK_HEADER)[1:]]
    assert MEDICARE_PAYMENT in report_metrics and [m for m in report_metrics if m.startswith(NOT_FOR_PAYERS)]
    assert MEDICARE_ONLY_MODIFIERS <= [row[0] for row in table_by_header(report, MODIFIER_HEADER)[1:]][1:]


def all_text(data: bytes, fmt: str) -> str:
    """Every text a reader sees: the PDF's text, or the DOCX's paragraphs and table cells."""
    if fmt == "pdf":
        return squashed(readback_pdf.read_text(data))
    cells = [cell for table in readback_docx.read_tables(data) for row in table for cell in row]
    return squashed(" ".join([*readback_docx.read_paragraphs(data), *cells]))


@pytest.mark.parametrize("fmt", PACKET_FORMATS)
@pytest.mark.parametrize(("spec", "payer"), cases(), ids=case_id)
def test_a_packet_never_mentions_another_payer_of_the_spec(made, spec: Path, payer: str, fmt: str) -> None:
    text = all_text(made(spec).packet(payer, fmt), fmt).casefold()
    others = [name for name in payer_names(spec) if name != payer and name.casefold() not in payer.casefold()]
    assert others and [name for name in others if name.casefold() in text] == []
    assert payer.casefold() in text


@pytest.mark.parametrize("fmt", PACKET_FORMATS)
@pytest.mark.parametrize(("spec", "payer"), cases(), ids=case_id)
def test_a_packet_lists_exactly_the_references_it_cites_numbered_from_one(made, spec: Path, payer: str, fmt: str) -> None:
    tables = READERS[fmt].read_tables(made(spec).packet(payer, fmt))
    cited = [int(n) for table in tables if table[0] != REFERENCES_HEADER for row in table for cell in row
             for found in MARK.findall(cell) for n in found.split(", ")]
    listed = [int(number) for number in references_of(tables)]
    assert listed == list(range(1, len(listed) + 1))
    assert set(cited) == set(listed)
    first_seen = list(dict.fromkeys(cited))
    assert first_seen == sorted(first_seen)  # numbered in order of first citation


@pytest.mark.parametrize(("spec", "payer"), cases(), ids=case_id)
def test_a_packet_opens_with_its_cover_letter(made, spec: Path, payer: str) -> None:
    run = made(spec)
    loaded = load_spec(spec).spec
    digest = sha256(run.report("pdf"))
    paragraphs = readback_docx.read_paragraphs(run.packet(payer, "docx"))
    first_page = squashed(readback_pdf.read_page_texts(run.packet(payer, "pdf"))[0])
    enclosure = f"Enclosure: {full_title(loaded)}, version {loaded.version}, as of {LONG_AS_OF[spec.stem]}"
    docx_start = squashed(" ".join(paragraphs[:12]))
    assert docx_start.startswith(f"{LONG_AS_OF[spec.stem]} {payer} Re: ")  # the date, the addressee, "Re:"
    # The letter's page has no running header or footer, in the PDF as in the DOCX (its first page).
    assert first_page.startswith(f"{LONG_AS_OF[spec.stem]} {payer} Re: ") and "Page 1 of" not in first_page
    pages = [squashed(text) for text in readback_pdf.read_page_texts(run.packet(payer, "pdf"))]
    assert pages[1].startswith(full_title(loaded)) and "Page 2 of" not in pages[1]  # the cover: bare too
    assert pages[2].startswith(f"{full_title(loaded)} \u2014 {payer} ") and "Page 3 of" in pages[2]  # then the running header
    # The DOCX's letter is a section of its own, so the cover is again a section's (bare) first page.
    body = readback_docx.open_docx(run.packet(payer, "docx")).element.body
    (letter_end,) = body.xpath("./w:p[w:pPr/w:sectPr]")
    assert letter_end.xpath("./w:pPr/w:sectPr/w:titlePg") and not body.xpath("./w:p[w:pPr/w:sectPr]/following-sibling::w:p[w:pPr/w:sectPr]")
    assert "Enclosure: " in " ".join(letter_end.xpath("./preceding-sibling::w:p//w:t/text()"))
    assert body.xpath("./w:sectPr/w:titlePg")  # the cover's section: its first page bare
    for text in (docx_start, first_page):
        assert "Re: " in text and enclosure in text
        assert f"Document ID {digest[:12]}" in text
        assert loaded.missing_text not in text  # no missing-data sentence on the letter
    assert first_page.index("Re: ") < first_page.index("Enclosed is our report") < first_page.index("Enclosure:")
    assert "Version: " not in first_page and "Contents" not in first_page  # the report starts on page 2
    assert [p for p in paragraphs if p.startswith("Enclosure: ")] == [enclosure]
    if loaded.prepared_by:
        assert loaded.prepared_by in first_page.split("Enclosure:")[0].split("Sincerely,")[1]


LONG_AS_OF = {"89253": "1 December 2026", "other_code": "28 February 2026"}  # the build's date: as_of here


@pytest.mark.parametrize(
    ("payer", "block"),
    [
        ("Aetna", ["CPT 89253 — Assisted Embryo Hatching, Partial Zona Dissection",
                   "Policy: Clinical Policy Bulletin 0327, Infertility"]),
        ("Medicare", ["CPT 89253 — Assisted Embryo Hatching, Partial Zona Dissection"]),  # no policy: left out
    ],
)
def test_the_re_block(made, payer: str, block: list[str]) -> None:
    run = made(SPEC)
    (docx_line,) = [p for p in readback_docx.read_paragraphs(run.packet(payer, "docx")) if p.startswith("Re:")]
    assert docx_line == "Re:\t" + "\n".join(block)  # label, tab, the lines under one another
    first_page = squashed(readback_pdf.read_page_texts(run.packet(payer, "pdf"))[0])
    assert f"Re: {' '.join(block)} Enclosed is our report" in first_page  # the whole block, nothing else


def test_the_policy_link_stays_clickable(made) -> None:
    run = made(SPEC)
    links = readback_docx.read_hyperlinks(run.packet("Aetna", "docx"))
    assert links["Clinical Policy Bulletin 0327, Infertility"] == AETNA_URL  # the policy cell and its reference
    assert {AETNA_URL, AETNA_NEWSLETTER_URL, D3RX_URL} <= set(links.values())  # the Aetna row's references
    assert HIGHMARK_URL not in links.values()  # cited only by another payer's row
    assert {AETNA_URL, AETNA_NEWSLETTER_URL, D3RX_URL} <= set(readback_pdf.read_links(run.packet("Aetna", "pdf")))


@pytest.mark.parametrize("spec", SPECS, ids=case_id)
def test_each_packet_identifies_the_full_report_pdf(made, spec: Path) -> None:
    run = made(spec)
    digest = sha256(run.report("pdf"))
    manifest = json.loads((run.out / f"{spec.stem}.manifest.json").read_bytes())
    assert manifest["deliverables"][f"{spec.stem}.pdf"]["sha256"] == digest
    assert run.set_manifest()["report"] == {"file": f"{spec.stem}.pdf", "sha256": digest}
    for payer in run.stems():
        for fmt in PACKET_FORMATS:
            text = all_text(run.packet(payer, fmt), fmt)
            assert f"Document ID {digest[:12]}" in text
            assert not re.search(r"[0-9a-f]{64}", text) and "SHA-256" not in text  # no raw hash paragraph


def test_the_closing_block_says_where_the_packet_comes_from_in_plain_words(made) -> None:
    paragraphs = readback_docx.read_paragraphs(made(SPEC).packet("Cigna Health", "docx"))
    closing = after_heading(paragraphs, "About This Packet")[0]
    assert "version 1.1, as of 1 December 2026" in closing
    assert "CPT 89253: Assisted Embryo Hatching, Partial Zona Dissection" in closing
    assert "Its texts are the report's own" not in closing and "89253.pdf" not in closing


def test_verify_traces_every_packet_file(made) -> None:
    run = made(SPEC)
    files = sorted(run.packets_dir.iterdir())
    result = run_cli("verify", *files)
    assert result.status == 0, result.stdout
    assert [line.split(" ", 1)[0] for line in result.stdout.splitlines()] == ["OK"] * len(files)
    listed = run_cli("verify", run.out / f"{SPEC.stem}{SET_SUFFIX}")  # the set's manifest checks them all
    assert listed.status == 0 and len(listed.stdout.splitlines()) == len(files)


def test_verify_finds_an_edited_packet(made, tmp_path: Path) -> None:
    run = Made(SPEC, tmp_path, "--payer", "Aetna")
    target = run.packets_dir / "89253-aetna.pdf"
    target.write_bytes(target.read_bytes() + b"\n")
    result = run_cli("verify", target)
    assert result.status == 1 and result.stdout.startswith("CHANGED ")


def test_the_excerpted_sections_are_the_reports(made) -> None:
    paragraphs = readback_docx.read_paragraphs(made(SPEC).packet("Aetna", "docx"))
    spec = load_spec(SPEC).spec
    overview = spec.sections[1]
    context = spec.sections[2].sections[0]
    assert after_heading(paragraphs, "Billing Code Overview")[: len(overview.body) + 1] == [*overview.body, "Clinical Context"]
    assert after_heading(paragraphs, "Clinical Context")[:2] == [context.body[0], "Payer Coverage: Aetna"]


def test_absent_sections_say_the_missing_text(made) -> None:
    run = made(FIXTURE)
    missing = load_spec(FIXTURE).spec.missing_text
    paragraphs = readback_docx.read_paragraphs(run.packet(payer_names(FIXTURE)[0], "docx"))
    for heading in ("Billing Code Overview", "Clinical Context"):
        assert after_heading(paragraphs, heading)[0] == missing


def test_sections_are_found_by_title_case_insensitively_and_place_no_table(tmp_path: Path) -> None:
    spec_file = tmp_path / "nested.yaml"
    spec_file.write_text(
        MINIMAL.replace("    body: [Text.]\n", "    body: [Text.]\n    sections:\n")
        + "      - title: billing code OVERVIEW\n"
        "        body: [Overview text., {table: payers}]\n"
        "        sections:\n"
        "          - title: '  Clinical context'\n"
        "            body: [Context text., {table: modifiers}]\n"
        "          - title: Only a table\n"
        "            body: [{table: benchmarks}]\n"
        "payers: [{payer: Aetna}, {payer: Cigna}]\n",
        encoding="utf-8",
    )
    document = packet_document(load_spec(spec_file).spec, 0, ReportRef("nested.pdf", "0" * 64), date(2026, 1, 1))
    tables = [block.id for block in document.blocks if isinstance(block, Table)]
    assert tables == ["payer-fields", "modifiers", "benchmarks"]  # each once, none from the sections
    texts = list(document.texts())
    assert texts.count("Context text.") == 1 and "Overview text." in texts
    assert "Only a table" not in texts  # emptied by dropping its table: not a false "missing"
    assert "Cigna" not in texts


# ---------------------------------------------------------------- choosing payers


def test_unknown_payer_is_one_line_listing_the_payers(tmp_path: Path) -> None:
    result = run_cli("packet", SPEC, "-o", tmp_path, "--payer", "Aetna", "--payer", "Humana")
    assert result.status == 1
    (line,) = result.stderr.splitlines()
    assert "'Humana'" in line
    assert all(name in line for name in payer_names(SPEC))
    assert list(tmp_path.iterdir()) == []  # nothing built, nothing written


@pytest.mark.parametrize("asked", ["aetna", "  AETNA ", "AeTnA"])
def test_payer_names_match_case_insensitively_and_trimmed(tmp_path: Path, asked: str) -> None:
    run = Made(SPEC, tmp_path, "--payer", asked)
    assert sorted(p.name for p in run.packets_dir.iterdir()) == ["89253-aetna.docx", "89253-aetna.pdf"]


def test_a_spec_without_payers_writes_nothing(tmp_path: Path) -> None:
    spec_file = tmp_path / "none.yaml"
    spec_file.write_text(MINIMAL, encoding="utf-8")
    result = run_cli("packet", spec_file, "-o", tmp_path / "out")
    assert (result.status, result.stdout) == (0, "")
    assert "no payers" in result.stderr and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- file names


HOSTILE = ["../../etc/passwd", "A/B & C", "A B C", "a-b-c-2", "Ünïcødé Health", "CON", "..", "/", "x" * 200]
HOSTILE_SLUGS = ["etc-passwd", "a-b-c", "a-b-c-3", "a-b-c-2", "unicode-health", "con", "payer-7", "payer-8", "x" * 60]


def test_hostile_payer_names_stay_inside_the_packets_folder(tmp_path: Path) -> None:
    spec_file = tmp_path / "hostile.yaml"
    payers = "".join(f"  - payer: {json.dumps(name)}\n" for name in HOSTILE)
    spec_file.write_text(MINIMAL + "payers:\n" + payers, encoding="utf-8")
    run = Made(spec_file, tmp_path / "out")
    inside = run.packets_dir.resolve()
    written = [Path(line.removeprefix("wrote ")) for line in run.result.stdout.splitlines()]
    packets = [path for path in written if path.parent.name == "packets"]
    assert len(packets) == len(set(packets)) == 2 * len(HOSTILE)
    assert all(path.resolve().parent == inside for path in packets)
    assert sorted(p.name for p in run.packets_dir.iterdir()) == sorted(p.name for p in packets)
    assert run.stems() == {name: f"hostile-{slug}" for name, slug in zip(HOSTILE, HOSTILE_SLUGS)}


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "A/B & C", "Ünïcødé Health", "   ", "CON", ".", "..", "\\", "a\\..\\b", "日本", "x" * 500]
)
def test_a_slug_is_a_safe_file_name(name: str) -> None:
    slug = slugify(name, "payer-1")
    assert SLUG.fullmatch(slug) and len(slug) <= MAX_LENGTH
    assert slug not in (".", "..") and "/" not in slug and "\\" not in slug


def test_slugs_fold_accents_and_fall_back_to_the_position() -> None:
    assert unique_slugs(["Ünïcødé Health", "   ", "Łukasz Straße", "!!!"], "payer") == [
        "unicode-health", "payer-2", "lukasz-strasse", "payer-4"
    ]


def test_colliding_slugs_get_deterministic_suffixes() -> None:
    names = ["A/B & C", "A B C", "a.b.c", "a-b-c-2"]
    assert unique_slugs(names, "payer") == ["a-b-c", "a-b-c-3", "a-b-c-4", "a-b-c-2"]
    assert unique_slugs(names, "payer") == unique_slugs(list(names), "payer")


def test_a_payers_file_name_does_not_depend_on_which_payers_are_asked_for(tmp_path: Path) -> None:
    spec_file = tmp_path / "dup.yaml"
    spec_file.write_text(MINIMAL + "payers: [{payer: A B C}, {payer: A/B/C}]\n", encoding="utf-8")
    run = Made(spec_file, tmp_path / "out", "--payer", "a/b/c")
    assert run.stems() == {"A/B/C": "dup-a-b-c-2"}


# ---------------------------------------------------------------- the full report it was cut from


def spec_copy(tmp_path: Path) -> Path:
    target = tmp_path / "specs" / "89253.yaml"
    target.parent.mkdir()
    target.write_bytes(SPEC.read_bytes())
    return target


def wrote(result: Result, path: Path) -> bool:
    return f"wrote {path}" in result.stdout.splitlines()


def cited(run: Made) -> str:
    """The document ID the Aetna packet's letter prints: the start of the report's SHA-256."""
    text = readback_docx.read_paragraphs(run.packet("Aetna", "docx"))
    (line,) = [p for p in text if p.startswith("Document ID ")]
    return line.split()[-1]  # the paragraph ends with the page break after the letter


def test_the_full_report_is_built_first_only_when_not_current(tmp_path: Path) -> None:
    spec_file, out = spec_copy(tmp_path), tmp_path / "out"
    report = out / "89253.pdf"
    first = Made(spec_file, out, "--payer", "Aetna")  # no report yet: it is built
    first_hash = sha256(report.read_bytes())
    assert wrote(first.result, report) and cited(first) == first_hash[:12]

    again = Made(spec_file, out, "--payer", "Aetna")  # current: the report is left alone
    assert not wrote(again.result, report) and cited(again) == first_hash[:12]

    spec_file.write_text(spec_file.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    changed = Made(spec_file, out, "--payer", "Aetna")  # the manifest traces to another spec
    changed_hash = sha256(report.read_bytes())
    assert wrote(changed.result, report) and cited(changed) == changed_hash[:12] != first_hash[:12]

    report.write_bytes(report.read_bytes() + b"\n")  # edited on disk: no longer what the manifest lists
    tampered = Made(spec_file, out, "--payer", "Aetna")
    assert wrote(tampered.result, report) and cited(tampered) == sha256(report.read_bytes())[:12] == changed_hash[:12]


def test_packets_are_reproducible(made, tmp_path: Path) -> None:
    run = made(SPEC)
    again = Made(SPEC, tmp_path)
    for name in run.stems():
        for fmt in PACKET_FORMATS:
            assert again.packet(name, fmt) == run.packet(name, fmt), (name, fmt)


def test_the_letter_takes_its_text_and_addressee_from_the_spec(tmp_path: Path) -> None:
    spec_file = tmp_path / "letter.yaml"
    spec_file.write_text(
        MINIMAL
        + "prepared_by: Billing Office\n"
        "letter:\n  - We ask you to review the enclosed coverage summary.\n  - Please call us with questions.\n"
        "payers:\n  - payer: Aetna\n    department: Provider Relations\n    address: [PO Box 1, 'Hartford, CT 06156']\n"
        "  - payer: Cigna\n",
        encoding="utf-8",
    )
    spec = load_spec(spec_file).spec
    (letter, *_) = packet_document(spec, 0, ReportRef("letter.pdf", "ab" * 32), date(2026, 3, 9)).blocks
    assert letter.date == "9 March 2026"
    assert letter.addressee == ("Aetna", "Provider Relations", "PO Box 1", "Hartford, CT 06156")
    assert letter.body == ("We ask you to review the enclosed coverage summary.", "Please call us with questions.")
    assert letter.signature == ("Billing Office",) and letter.document_id == "Document ID " + "ab" * 6
    assert letter.reference == ("CPT 99999 \u2014 Packet Test",)  # no policy in the spec: no policy line
    (bare, *_) = packet_document(spec, 1, ReportRef("letter.pdf", "ab" * 32), date(2026, 3, 9)).blocks
    assert bare.addressee == ("Cigna",)
    assert "Aetna" not in " ".join(bare.texts())
