"""`diff OLD.yaml NEW.yaml [--summary DIR]`: what changed between two versions of a spec."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.pipeline import manifest
from generator.pipeline.build import build_timestamp, render_document
from generator.pipeline.publish import publish
from generator.document.changes import Change, diff_specs, report_lines
from generator.commands import ExitStatus, load_or_report, output_folder, report_failure, source_date_epoch
from generator.document.change_summary import summary_document
from generator.spec import LoadedSpec
from generator.writers import FORMATS, RenderError, RenderOptions

HELP = "list what changed between two specs; --summary also writes it as DOCX, PDF and XLSX"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, metavar="OLD.yaml")
    parser.add_argument("new", type=Path, metavar="NEW.yaml")
    parser.add_argument(
        "--summary", type=Path, metavar="DIR",
        help="also write DIR/<new stem>-changes.docx, .pdf and .xlsx (and their manifest)",
    )
    parser.add_argument("--old-label", metavar="TEXT", help="how to name OLD in the output (default: its path)")
    parser.add_argument("--new-label", metavar="TEXT", help="how to name NEW in the output (default: its path)")


def run(args: argparse.Namespace) -> ExitStatus:
    epoch = source_date_epoch()
    if args.summary is not None:
        output_folder(args.summary, "--summary")
    summary = args.summary is not None  # a change summary is a PDF too
    old, new = load_or_report(args.old, summary), load_or_report(args.new, summary)
    if old is None or new is None:
        return ExitStatus.INVALID_SPEC
    labels = (args.old_label or str(args.old), args.new_label or str(args.new))
    changes = diff_specs(old.spec, new.spec)
    print(f"--- {labels[0]} (version {old.spec.version})\n+++ {labels[1]} (version {new.spec.version})")
    print("\n".join(report_lines(changes)))
    if args.summary is not None:
        try:
            written = write_summary(old, new, changes, labels, args.summary, epoch)
        except (RenderError, OSError) as error:
            return report_failure(f"{args.new} (change summary)", error, args.summary)
        for target in written:
            print(f"wrote {target}")
    # Changes are the expected outcome of a diff, not a failure.
    return ExitStatus.OK


def write_summary(
    old: LoadedSpec, new: LoadedSpec, changes: list[Change], labels: tuple[str, str], out_dir: Path, epoch: str | None
) -> list[Path]:
    """Render the summary with the report writers and publish it like a build, manifest included."""
    document = summary_document(old.spec, new.spec, changes, *labels)
    timestamp = build_timestamp(new, epoch)
    payloads = render_document(document, RenderOptions(timestamp=timestamp), FORMATS)
    inputs = manifest.build_inputs(new, timestamp, base=old, labels=labels)
    return publish(f"{new.path.stem}-changes", payloads, out_dir, inputs)
