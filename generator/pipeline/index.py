"""The portfolio of built reports: every manifest under some output folders read, verified and tabulated.

`index` finds each `<stem>.manifest.json` below the folders given (one per shard, say),
checks every deliverable it lists as `verify` does, adds the spec's health where the spec
is still at the path and SHA-256 the manifest records, and flags the same report (code and
prepared_for) found at different versions. Packet and change-summary manifests are not
reports and are left out. The portfolio is written through the XLSX writer (the document
model's Table), or as CSV or JSON, or shown as a terminal table.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import generator
from generator.document.model import CellKind, Table
from generator.document.portfolio import NONE, Entry, Listed, portfolio_document, portfolio_table
from generator.pipeline import manifest
from generator.pipeline.health import missing_counts, stale_reviews
from generator.spec import SpecError, load_spec
from generator.writers import RenderOptions, render

OUTPUT_SUFFIXES = (".xlsx", ".csv", ".json")
# A CSV cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV advice);
# the XLSX marks such a cell as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TERMINAL_COLUMNS = ("Code", "Version", "As Of", "Prepared For", "Stale Reviews", "Missing Fields", "Problems", "Manifest")
_EARLIEST = datetime(1980, 1, 1, tzinfo=timezone.utc)  # no manifest has a timestamp: the zip format's first day


@dataclass(frozen=True)
class Portfolio:
    """Every report an output folder holds, read off the manifests, for `index`."""

    folders: tuple[str, ...]
    entries: tuple[Entry, ...]
    problems: tuple[str, ...]  # one line each: "<manifest>: <what>"
    timestamp: datetime  # the newest build's, for a portfolio whose bytes depend on its content only


def find_manifests(folders: Sequence[Path]) -> list[Path]:
    """Every manifest below the folders, each once, sorted by path."""
    found = {path for folder in folders for path in folder.rglob(f"*{manifest.MANIFEST_SUFFIX}") if path.is_file()}
    return sorted(found, key=str)


def index(folders: Sequence[Path], stale_months: int, source_date_epoch: str | None = None) -> Portfolio:
    entries: list[Entry] = []
    problems: list[str] = []
    timestamps = []
    for path in find_manifests(folders):
        record, reason = _read(path)
        if record is None:
            entries.append(Entry(str(path), problems=reason))
            problems.append(f"{path}: {reason}")
            continue
        if "payer" in record or "base_spec" in record:  # a packet or a change summary
            continue
        entry, found = _entry(path, record, stale_months)
        entries.append(entry)
        problems += [f"{path}: {line}" for line in found]
        timestamps.append(_timestamp(record))
    entries, duplicates = _flag_duplicates(entries)
    problems += duplicates
    if source_date_epoch is not None:
        when = datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
    else:
        when = max((t for t in timestamps if t is not None), default=_EARLIEST)
    return Portfolio(tuple(map(str, folders)), tuple(entries), tuple(problems), when)


def _read(path: Path) -> tuple[dict[str, Any] | None, str]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        return None, f"cannot read the manifest: {error.strerror or error}"
    except ValueError as error:
        return None, f"not a manifest: {' '.join(str(error).split())}"
    if not isinstance(data, dict) or not isinstance(data.get("deliverables"), dict):
        return None, "not a manifest: no deliverables listed"
    return data, ""


def _entry(path: Path, record: dict[str, Any], stale_months: int) -> tuple[Entry, list[str]]:
    spec = record.get("spec") if isinstance(record.get("spec"), dict) else {}
    files: dict[str, Listed] = {}
    problems = []
    for name, listed in sorted(record["deliverables"].items()):
        check = manifest.check(path.parent / name)
        listed = listed if isinstance(listed, dict) else {}
        files[name.rsplit(".", 1)[-1]] = Listed(name, listed.get("size"), listed.get("sha256"), check.status.value)
        if check.status is not manifest.Status.OK:
            problems.append(f"{name}: {check.status.value} ({check.detail})")
    gen = record.get("generator") if isinstance(record.get("generator"), dict) else {}
    libraries = record.get("libraries") if isinstance(record.get("libraries"), dict) else None
    entry = Entry(
        manifest=str(path),
        code=_text(spec.get("code")),
        title=_text(spec.get("title")),
        version=_text(spec.get("version")),
        as_of=_date(spec.get("as_of")),
        prepared_for=_text(spec.get("prepared_for")),
        files=files,
        generator=f"{gen.get('name')} {gen.get('version')}" if gen else None,
        libraries=", ".join(f"{name} {version}" for name, version in libraries.items()) if libraries else None,
        problems="; ".join(problems) or NONE,
    )
    return _with_health(entry, spec, stale_months), problems


def _with_health(entry: Entry, spec: dict[str, Any], stale_months: int) -> Entry:
    """The entry with the spec's health, when the spec is still what the manifest records."""
    path = Path(str(spec.get("path")))
    try:
        if manifest.sha256(path.read_bytes()) != spec.get("sha256"):
            return entry
        loaded = load_spec(path)
    except (OSError, SpecError):
        return entry
    payers = loaded.spec.payers
    stale = [f"{payers[i].payer} ({payers[i].last_reviewed})" for i in stale_reviews(loaded.spec, stale_months)]
    missing = sum(count for _, count, _ in missing_counts(loaded.spec))
    return replace(entry, stale_reviews="; ".join(stale) or NONE, missing_fields=missing)


def _flag_duplicates(entries: list[Entry]) -> tuple[list[Entry], list[str]]:
    """The same report (code and prepared_for) at different versions: a problem on every copy."""
    groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        if entry.code is not None:
            groups[(entry.code, entry.prepared_for)].append(i)
    problems = []
    for (code, client), members in groups.items():
        if len({entries[i].version for i in members}) < 2:
            continue
        found = ", ".join(f"version {entries[i].version} in {entries[i].manifest}" for i in members)
        line = f"report {code} for {client or 'no client'} found at different versions: {found}"
        for i in members:
            entry = entries[i]
            entries[i] = replace(entry, problems=line if entry.problems == NONE else f"{entry.problems}; {line}")
            problems.append(f"{entry.manifest}: {line}")
    return entries, problems


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _timestamp(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(record["timestamp"])
    except (KeyError, TypeError, ValueError):
        return None


# --- what the portfolio is written as -----------------------------------------------------------


def portfolio_bytes(portfolio: Portfolio, suffix: str) -> bytes:
    """The portfolio as an .xlsx workbook, .csv or .json file; ValueError for another suffix."""
    if suffix == ".xlsx":
        document = portfolio_document(
            list(portfolio.entries), list(portfolio.folders), len(portfolio.problems),
            portfolio.timestamp.date(), generator.__version__,
        )
        return render("xlsx", document, RenderOptions(timestamp=portfolio.timestamp))
    table = portfolio_table(list(portfolio.entries))
    if suffix == ".csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
        writer.writerow([column.header for column in table.columns])
        writer.writerows([_csv_text(cell) for cell in row] for row in table.rows)
        return out.getvalue().encode("utf-8")
    if suffix == ".json":
        rows = [{column.key: _json_value(cell) for column, cell in zip(table.columns, row)} for row in table.rows]
        data = {"folders": list(portfolio.folders), "reports": rows, "problems": list(portfolio.problems)}
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    raise ValueError(f"expected a file ending in {', '.join(OUTPUT_SUFFIXES)}, got {suffix or 'no suffix'!r}")


def _csv_text(cell: Any) -> str:
    return "'" + cell.text if cell.kind is not CellKind.NUMBER and cell.text.startswith(FORMULA_STARTS) else cell.text


def _json_value(cell: Any) -> Any:
    if cell.kind is CellKind.MISSING:
        return None
    if cell.kind is CellKind.NUMBER:
        return int(cell.value)
    return cell.text  # dates as ISO text


def terminal_table(portfolio: Portfolio) -> str:
    """The columns a terminal has room for, aligned, a header line first."""
    table: Table = portfolio_table(list(portfolio.entries))
    keep = [i for i, column in enumerate(table.columns) if column.header in TERMINAL_COLUMNS]
    lines = [[table.columns[i].header for i in keep]]
    lines += [["-" if row[i].kind is CellKind.MISSING else row[i].text for i in keep] for row in table.rows]
    widths = [max(len(line[j]) for line in lines) for j in range(len(keep))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)
