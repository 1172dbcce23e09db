"""`watch`: rebuilds on every change, survives a bad save, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.commands import watch as watch_command
from generator.commands.watch import WatchOptions, fingerprint, watch
from tests.cli import run_cli

FORMAT = "docx"
VALID = 'code: "89253"\ntitle: {title}\nversion: "1.0"\nas_of: 2026-11-26\nsections:\n  - title: Summary\n'
BROKEN = VALID.format(title="Broken") + "payers:\n  - payer: Aetna\n    last_reviewed: soon\n    polcy: x\n"
REBUILT = re.compile(r"rebuilt (?P<paths>.+) in \d+\.\d\d s")


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


class Editor:
    """A fake `sleep` that, at each call, saves the next version of the spec (or does nothing)."""

    def __init__(self, spec: Path, saves: list[str | None]):
        self.spec, self.saves, self.naps = spec, list(saves), []

    def __call__(self, seconds: float) -> None:
        self.naps.append(seconds)
        text = self.saves.pop(0) if self.saves else None
        if text is not None:
            write(self.spec, text)


def run_watch(tmp_path: Path, first: str | None, saves: list[str | None], cycles: int) -> tuple[Editor, Path]:
    spec, out = tmp_path / "x.yaml", tmp_path / "out"
    if first is not None:
        write(spec, first)
    editor = Editor(spec, saves)
    watch(WatchOptions(spec, out, (FORMAT,), 0.25, cycles, None), sleep=editor)
    return editor, out


def rebuilt_lines(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    assert all(REBUILT.fullmatch(line) for line in lines), stdout
    return lines


def test_valid_spec_is_built_once_and_not_again_while_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    editor, out = run_watch(tmp_path, VALID.format(title="One"), [], cycles=3)
    captured = capsys.readouterr()
    [line] = rebuilt_lines(captured.out)
    assert str(out / f"x.{FORMAT}") in REBUILT.fullmatch(line)["paths"]  # type: ignore[index]
    assert (out / f"x.{FORMAT}").stat().st_size > 0
    assert editor.naps == [0.25, 0.25] and captured.err == ""


def test_bad_save_reports_errors_keeps_watching_and_the_fix_rebuilds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = tmp_path / "x.yaml", tmp_path / "out"
    write(spec, VALID.format(title="First"))
    built: list[bytes] = []

    def editor(seconds: float) -> None:
        built.append((out / f"x.{FORMAT}").read_bytes())
        step = len(built)
        if step == 1:
            write(spec, BROKEN)
        elif step == 3:
            write(spec, VALID.format(title="Fixed"))

    watch(WatchOptions(spec, out, (FORMAT,), 0.25, 5, None), sleep=editor)
    captured = capsys.readouterr()
    assert len(rebuilt_lines(captured.out)) == 2  # the first build and the fix; nothing for the bad save
    errors = captured.err.splitlines()
    assert [e.split(": ")[1] for e in errors] == ["payers[0].last_reviewed", "payers[0].polcy"]
    assert all(e.startswith(f"{spec}:") for e in errors)
    assert built[0] == built[1] == built[2]  # the bad save left the last good deliverable in place
    assert (out / f"x.{FORMAT}").read_bytes() != built[0]  # the fix was built


def test_same_size_edit_within_one_mtime_tick_is_noticed(tmp_path: Path) -> None:
    spec = tmp_path / "x.yaml"
    write(spec, VALID.format(title="Aaaa"))
    before = fingerprint(spec)
    stat = spec.stat()
    write(spec, VALID.format(title="Bbbb"))
    os.utime(spec, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert spec.stat().st_mtime_ns == stat.st_mtime_ns and spec.stat().st_size == stat.st_size
    assert fingerprint(spec) != before


def test_missing_spec_is_reported_and_built_once_it_appears(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_watch(tmp_path, None, [VALID.format(title="Late")], cycles=2)
    captured = capsys.readouterr()
    assert "cannot read the file" in captured.err and captured.err.count("\n") == 1
    assert len(rebuilt_lines(captured.out)) == 1 and (out / f"x.{FORMAT}").exists()


def test_a_failing_writer_is_one_line_and_the_watch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = watch_command.build
    calls: list[int] = []

    def flaky_build(*args: object) -> list[Path]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("writer bug\nsecond line")
        return real_build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(watch_command, "build", flaky_build)
    run_watch(tmp_path, VALID.format(title="One"), [VALID.format(title="Two")], cycles=2)
    captured = capsys.readouterr()
    assert captured.err.endswith("x.yaml: build failed: RuntimeError: writer bug second line\n")
    assert len(rebuilt_lines(captured.out)) == 1


def test_watch_builds_the_same_bytes_as_build(tmp_path: Path) -> None:
    spec = tmp_path / "x.yaml"
    write(spec, VALID.format(title="Same"))
    assert run_cli("build", spec, "-o", tmp_path / "b", "--format", FORMAT).status == 0
    result = run_cli("watch", spec, "-o", tmp_path / "w", "--format", FORMAT, "--cycles", "1", "--interval", "0.01")
    assert result.status == 0, result.stderr
    assert len(rebuilt_lines(result.stdout)) == 1
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == sorted(p.name for p in (tmp_path / "b").iterdir())
    for built in (tmp_path / "b").iterdir():
        assert (tmp_path / "w" / built.name).read_bytes() == built.read_bytes(), built.name


def test_ctrl_c_exits_0_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_command, "time", types.SimpleNamespace(sleep=interrupted, perf_counter=time.perf_counter))
    spec = tmp_path / "x.yaml"
    write(spec, VALID.format(title="One"))
    result = run_cli("watch", spec, "-o", tmp_path / "out", "--format", FORMAT)
    assert result.status == 0
    assert len(rebuilt_lines(result.stdout)) == 1
    assert "Traceback" not in result.stderr and result.stderr.endswith("stopped\n")


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    spec, out, log = tmp_path / "x.yaml", tmp_path / "out", tmp_path / "stdout.txt"
    write(spec, VALID.format(title="One"))
    # A shell that runs us in the background may ignore SIGINT; a terminal does not: restore the default.
    code = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from generator.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    args = ["watch", str(spec), "-o", str(out), "--format", FORMAT, "--interval", "0.05"]
    with log.open("w") as stdout:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=stdout, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: "rebuilt" in log.read_text())
            write(spec, VALID.format(title="Two"))
            wait_for(lambda: log.read_text().count("rebuilt") == 2)
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert len(rebuilt_lines(log.read_text())) == 2


@pytest.mark.parametrize("flags", [["--interval", "0"], ["--interval", "-1"], ["--interval", "inf"], ["--cycles", "0"],
                                   ["--cycles", "x"], ["--format", "odt"]])
def test_bad_options_are_usage_errors(flags: list[str], tmp_path: Path) -> None:
    assert run_cli("watch", tmp_path / "x.yaml", *flags).status == 2


def test_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    result = run_cli("watch", tmp_path / "x.yaml", "--cycles", "1")
    assert result.status == 2 and result.stderr.count("\n") == 1
