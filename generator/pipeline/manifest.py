"""Build manifests: which spec, generator and timestamp made each deliverable, with its SHA-256.

A build writes `<stem>.manifest.json` beside its deliverables. The JSON is
stable (sorted keys, indent 2, trailing newline), so identical builds give
byte-identical manifests. Everything here is pure data or reading; the build
writes the manifest with the same atomic rename as the deliverables.

When a build writes only some formats (`--format`), the entries of the other
formats are kept only if the existing manifest describes the very same build
inputs (spec path and hash, generator and library versions, timestamp) and the
file on disk still has its recorded hash; otherwise they are dropped, because a
manifest must never vouch for a file that was not built from what it records.

`is_current` is the one answer to "would a build write what is already on disk?":
the batch's skip, the packet's report and publishing all ask it.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import generator
from generator.spec import LoadedSpec, LoadedTheme
from generator.spec.theme import theme_file_for

MANIFEST_SUFFIX = ".manifest.json"
# One manifest for a set of deliverables kept in a folder of their own below it, the payer packets:
# out/<stem>.packets.json lists out/packets/<file>, so that folder holds only what users attach.
SET_SUFFIX = ".packets.json"
FORMAT_VERSION = 2  # bump when the manifest's shape changes (2: "libraries"; the spec's title, prepared_for)
# The distributions whose versions decide the bytes of a deliverable (byte-identical output holds
# for one set of them): recorded in every manifest, and a build with others is not current.
LIBRARIES = ("python-docx", "reportlab", "openpyxl", "PyYAML", "Pillow")


def manifest_path(out_dir: Path, stem: str) -> Path:
    return out_dir / f"{stem}{MANIFEST_SUFFIX}"


def set_manifest_path(out_dir: Path, stem: str) -> Path:
    return out_dir / f"{stem}{SET_SUFFIX}"


def is_manifest(path: Path) -> bool:
    return path.name.endswith((MANIFEST_SUFFIX, SET_SUFFIX))


def manifest_for(path: Path) -> tuple[Path, str]:
    """The manifest that lists the deliverable at `path`, and the name it lists it under: the
    manifest beside it, else a set manifest in the folder above that lists `<folder>/<file>`."""
    beside = manifest_path(path.parent, stem_of(path))
    if beside.is_file():
        return beside, path.name
    listed = f"{path.parent.name}/{path.name}"
    for candidate in sorted(path.parent.parent.glob(f"*{SET_SUFFIX}")):
        entries = (load_manifest(candidate) or {}).get("deliverables")
        if isinstance(entries, dict) and listed in entries:
            return candidate, listed
    return beside, path.name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def spec_entry(loaded: LoadedSpec, label: str | None = None) -> dict[str, Any]:
    """What identifies the spec: its path as given (or a label), its bytes' hash and its version fields."""
    spec = loaded.spec
    return {
        "path": label or str(loaded.path),
        "sha256": sha256(loaded.path.read_bytes()),
        "code": spec.code,
        "title": spec.title,
        "prepared_for": spec.prepared_for,
        "version": spec.version,
        "as_of": spec.as_of.isoformat(),
    }


def theme_entry(theme: LoadedTheme) -> dict[str, Any]:
    """What identifies a theme: its path and bytes' hash, and its logo's (when it has one)."""
    entry: dict[str, Any] = {"path": str(theme.path), "sha256": sha256(theme.path.read_bytes())}
    if theme.logo is not None:
        entry["logo"] = {"path": str(theme.logo.path), "sha256": theme.logo.source_sha256}
    return entry


def theme_is_current(spec_path: Path, recorded: Any) -> bool:
    """Does a manifest's "theme" entry (None when it has none) still describe the theme that
    brands `spec_path`? Decided from file hashes alone, without parsing the spec or the theme:
    the recorded logo path is right for as long as the theme file's bytes are unchanged."""
    found = theme_file_for(spec_path)
    if found is None or recorded is None:
        return found is None and recorded is None
    if not isinstance(recorded, dict) or recorded.get("path") != str(found):
        return False
    logo = recorded.get("logo")
    files = [(found, recorded.get("sha256"))]
    if logo is not None:
        if not isinstance(logo, dict) or not isinstance(logo.get("path"), str):
            return False
        files.append((Path(logo["path"]), logo.get("sha256")))
    try:
        return all(sha256(path.read_bytes()) == digest for path, digest in files)
    except OSError:
        return False


@functools.cache
def library_versions() -> dict[str, str]:
    """The installed version of each library in LIBRARIES (sys.path scanned once for all)."""
    found = _dist_infos()
    return {name: _version(name, found) for name in LIBRARIES}


def installed_version(distribution: str) -> str:
    """The version an installed distribution's dist-info folder names (`pyyaml-6.0.4.dist-info`),
    found on sys.path as importlib.metadata would find it. Read off the folder's name: importing
    importlib.metadata costs a cold build more (tens of ms) than the rest of its imports but the
    libraries'. When no such folder is found, importlib.metadata decides."""
    return _version(distribution, _dist_infos())


def _version(distribution: str, found: dict[str, str]) -> str:
    version = found.get(_normalized(distribution))
    if version is not None:
        return version
    from importlib import metadata

    return metadata.version(distribution)


def _dist_infos() -> dict[str, str]:
    """{normalized project name: version} of the dist-info folders on sys.path, the first found winning."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            stem, _, suffix = name.rpartition(".")
            project, dash, version = stem.partition("-")
            if suffix == "dist-info" and dash:
                found.setdefault(_normalized(project), version)
    return found


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def pinned_timestamp(as_of: date, source_date_epoch: str | None) -> datetime:
    """A build's timestamp: SOURCE_DATE_EPOCH when set, else the spec's as_of date; never the clock."""
    if source_date_epoch is not None:
        return datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
    return datetime.combine(as_of, time(), tzinfo=timezone.utc)


def build_inputs(
    loaded: LoadedSpec,
    timestamp: datetime,
    base: LoadedSpec | None = None,
    labels: tuple[str | None, str | None] = (None, None),
    theme: LoadedTheme | None = None,
) -> dict[str, Any]:
    """Everything that determines the bytes of a deliverable (a change summary also has a base spec).

    `labels` name (base, spec) instead of their paths, e.g. "specs/89253.yaml@HEAD~1" for a
    revision that `make diff` extracted to a temporary file. `theme` is the theme the
    deliverables were rendered with, if any (recorded as "theme": path, SHA-256, logo).
    """
    return _inputs(
        timestamp,
        spec_entry(loaded, labels[1]),
        spec_entry(base, labels[0]) if base is not None else None,
        theme_entry(theme) if theme is not None else None,
    )


def _inputs(timestamp: datetime, spec: Any, base_spec: Any = None, theme: Any = None) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "manifest_format": FORMAT_VERSION,
        "generator": {"name": "generator", "version": generator.__version__},
        "libraries": library_versions(),
        "timestamp": timestamp.isoformat(),
        "source_date_epoch": int(timestamp.timestamp()),
        "spec": spec,
    }
    if base_spec is not None:
        inputs["base_spec"] = base_spec
    if theme is not None:
        inputs["theme"] = theme
    return inputs


def is_current(
    spec: Path, out_dir: Path, formats: Iterable[str], source_date_epoch: str | None, any_timestamp: bool = False
) -> bool:
    """Would building `spec` into `out_dir` write what is already there? Decided from the manifest
    and file hashes, without parsing the spec.

    Yes when `<stem>.manifest.json` records this spec path with the spec's current SHA-256, this
    generator's and libraries' versions, the timestamp this build would use (SOURCE_DATE_EPOCH,
    else the recorded as_of, which the same spec bytes determine; any, with `any_timestamp`: a
    packet cites a report whatever it was pinned to) and the theme that brands the spec now
    (none, or the same theme and logo bytes); lists every requested format; and every file it
    lists still has its recorded hash. The expected inputs are those `build_inputs` makes.
    """
    record = load_manifest(manifest_path(out_dir, spec.stem))
    if record is None:
        return False
    recorded = record.get("spec")
    try:
        digest = sha256(spec.read_bytes())
    except OSError:
        return False
    if not isinstance(recorded, dict) or recorded.get("path") != str(spec) or recorded.get("sha256") != digest:
        return False
    try:
        as_of = date.fromisoformat(recorded["as_of"])
    except (KeyError, TypeError, ValueError):
        return False
    timestamp = pinned_timestamp(as_of, source_date_epoch)
    if any_timestamp:
        try:
            timestamp = datetime.fromisoformat(record["timestamp"])
        except (KeyError, TypeError, ValueError):
            return False
    theme = record.get("theme")
    if not theme_is_current(spec, theme):  # a theme file added, removed or edited
        return False
    inputs = _inputs(timestamp, recorded, theme=theme)
    listed = record.get("deliverables")
    if not isinstance(listed, dict) or not {f"{spec.stem}.{fmt}" for fmt in formats} <= listed.keys():
        return False
    return current_entries(record, inputs, out_dir) == listed


def deliverable_entries(stem: str, payloads: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    return {f"{stem}.{fmt}": {"sha256": sha256(data), "size": len(data)} for fmt, data in payloads.items()}


def make_manifest(inputs: dict[str, Any], deliverables: dict[str, dict[str, Any]], out_dir: Path, stem: str) -> dict[str, Any]:
    """The manifest for this build, keeping still-valid entries of formats it did not write."""
    kept = current_entries(load_manifest(manifest_path(out_dir, stem)), inputs, out_dir)
    return {**inputs, "deliverables": {**kept, **deliverables}}


def current_entries(previous: dict[str, Any] | None, inputs: dict[str, Any], out_dir: Path) -> dict[str, dict[str, Any]]:
    """The deliverable entries of `previous` that a build from `inputs` would write again: all whose
    file still matches when `previous` records exactly these inputs, else none."""
    if previous is None or {k: v for k, v in previous.items() if k != "deliverables"} != inputs:
        return {}
    entries = previous.get("deliverables")
    if not isinstance(entries, dict):
        return {}
    return {name: entry for name, entry in entries.items() if _file_matches(out_dir / name, entry)}


def dumps(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def load_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at `path`, or None when it is absent or not a manifest."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _file_matches(path: Path, entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return len(data) == entry.get("size") and sha256(data) == entry.get("sha256")


class Status(enum.Enum):
    OK = "OK"
    CHANGED = "CHANGED"
    NOT_IN_MANIFEST = "NOT IN MANIFEST"
    MISSING = "MISSING"


@dataclass(frozen=True)
class Check:
    """What `verify` found for one file."""

    path: Path
    status: Status
    detail: str  # why, or which spec the file was built from

    def line(self) -> str:
        return f"{self.status.value} {self.path} ({self.detail})"


def check(path: Path) -> Check:
    """Does the deliverable at `path` match the manifest that lists it (`manifest_for`)?"""
    where, name = manifest_for(path)
    manifest = load_manifest(where)
    if not path.is_file():  # whatever the manifest says: the file a reader asked about is not there
        listed = manifest is not None and isinstance(manifest.get("deliverables"), dict) and name in manifest["deliverables"]
        return Check(path, Status.MISSING, f"listed in {where} but not on disk" if listed else "no such file")
    if manifest is None:
        return Check(path, Status.NOT_IN_MANIFEST, f"no readable manifest {where}")
    entries = manifest.get("deliverables")
    entry = entries.get(name) if isinstance(entries, dict) else None
    if entry is None:
        return Check(path, Status.NOT_IN_MANIFEST, f"{where} does not list {name}")
    if not _file_matches(path, entry):
        return Check(path, Status.CHANGED, f"differs from {where}; built from {describe_spec(manifest)}")
    return Check(path, Status.OK, describe_spec(manifest))


def stem_of(path: Path) -> str:
    # "89253.pdf" -> "89253"; "89253-changes.xlsx" -> "89253-changes"
    return path.name.rsplit(".", 1)[0]


def describe_spec(manifest: dict[str, Any]) -> str:
    spec = manifest.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    return f"spec {spec.get('path')} version {spec.get('version')}, as_of {spec.get('as_of')}"


def listed_files(manifest_file: Path) -> list[Path]:
    """The deliverables a manifest lists, as paths beside it (verify accepts a manifest too)."""
    entries = (load_manifest(manifest_file) or {}).get("deliverables")
    return [manifest_file.parent / name for name in sorted(entries)] if isinstance(entries, dict) else []
