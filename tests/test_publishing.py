"""All-or-nothing publication: every fault, a kill at any moment, two builds at once, a full disk, a read-only folder.

After any of them, and the recovery the next command runs, a folder holds the complete old set of a
stem or the complete new one (its deliverables and a manifest that lists exactly them), and no
temporary file, journal or lock.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.pipeline import publish
from tests.cli import run_cli
from tests.published_sets import STEM, inputs, payloads

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764115200"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_of(folder: Path, locked: bool = False) -> str:
    """'old' or 'new' (or 'v1', 'v2', ...): which complete set the folder holds; fails on anything else.
    `locked`: the caller holds the stem's lock, whose file is then the one other name allowed."""
    names = sorted(os.listdir(folder))
    expected = [f"{STEM}.docx", f"{STEM}.pdf", f"{STEM}.xlsx", f"{STEM}.manifest.json", *([f".{STEM}.lock"] if locked else [])]
    assert names == sorted(expected), names
    record = json.loads((folder / f"{STEM}.manifest.json").read_bytes())
    version = record["spec"]["version"]
    for fmt, data in payloads(version, len((folder / f"{STEM}.docx").read_bytes())).items():
        on_disk = (folder / f"{STEM}.{fmt}").read_bytes()
        assert on_disk == data, f"{STEM}.{fmt} is not from {version}"
        assert record["deliverables"][f"{STEM}.{fmt}"] == {"sha256": sha(on_disk), "size": len(on_disk)}
    return version


@contextlib.contextmanager
def failing(monkeypatch: pytest.MonkeyPatch, name: str, nth: int) -> Iterator[list[int]]:
    """os.<name> raises EIO on its nth call (from 1); yields [calls made]."""
    real = getattr(os, name)
    calls = [0]

    def fake(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == nth:
            raise OSError(errno.EIO, f"injected {name} failure")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, name, fake)
        yield calls


@pytest.mark.parametrize("call", ["write", "fsync", "replace", "open", "unlink"])
def test_a_fault_at_any_step_leaves_the_old_set_or_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    # Every call of the kind in turn: the 1st, the 2nd, ... until a publication makes no more of them.
    outcomes = set()
    for nth in range(1, 200):
        folder = tmp_path / f"{call}-{nth}"
        publish.publish(STEM, payloads("old"), folder, inputs("old"))
        with failing(monkeypatch, call, nth) as calls:
            try:
                publish.publish(STEM, payloads("new"), folder, inputs("new"))
            except OSError as error:
                assert "injected" in str(error)
        publish.recover(folder, STEM)  # what the next build, verify or packet does first
        outcomes.add(state_of(folder))
        if calls[0] < nth:  # the fault never came: every call of this kind has had its turn
            break
    else:
        pytest.fail("a publication never finished without the fault")
    assert outcomes == {"old", "new"}  # early faults keep the old set, late ones are completed


def test_a_fault_after_the_commit_point_is_completed_by_the_next_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    publish.publish(STEM, payloads("old"), folder, inputs("old"))
    real = os.replace

    def rename_once(src: object, dst: object) -> None:
        if str(dst).endswith(f"{STEM}.pdf"):  # the DOCX was switched already; the PDF rename fails, twice
            raise OSError(errno.EIO, "injected rename failure")
        real(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", rename_once)
        with pytest.raises(OSError):
            publish.publish(STEM, payloads("new"), folder, inputs("new"))
    assert publish.journal_path(folder, STEM).exists()  # decided, not yet complete
    result = run_cli("verify", folder / f"{STEM}.manifest.json")
    assert result.status == 0 and result.stdout.count("OK ") == 3
    assert state_of(folder) == "new"


DRIVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from generator.pipeline import publish
    from tests.published_sets import STEM, inputs, payloads

    folder, versions, rounds = Path(sys.argv[1]), sys.argv[2].split(","), int(sys.argv[3])
    print("ready", flush=True)
    for i in range(rounds):
        version = versions[i % len(versions)]
        publish.publish(STEM, payloads(version, 300_000), folder, inputs(version))
    """
)


def driver(folder: Path, versions: str, rounds: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(folder), versions, str(rounds)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    with proc.stdout:
        assert proc.stdout.readline() == "ready\n"
    return proc


def test_kill_9_at_any_moment_then_recovery_leaves_a_complete_set(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    publish.publish(STEM, payloads("v0", 300_000), folder, inputs("v0"))
    rng = random.Random(17)
    seen = set()
    for _ in range(12):
        proc = driver(folder, "v1,v2", 1000)
        time.sleep(rng.uniform(0.02, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        publish.recover(folder, STEM)
        seen.add(state_of(folder))
    assert len(seen) >= 2  # the kills landed at different moments


def test_concurrent_publications_of_two_versions_never_interleave(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    procs = [driver(folder, "v1", 25), driver(folder, "v2", 25)]
    seen = set()
    while any(proc.poll() is None for proc in procs):
        with publish.locked(folder, STEM):  # a reader that takes the lock never sees a switch half done
            if (folder / f"{STEM}.manifest.json").exists():
                seen.add(state_of(folder, locked=True))
        time.sleep(0.01)
    assert [proc.wait() for proc in procs] == [0, 0]
    seen.add(state_of(folder))
    assert seen <= {"v1", "v2"}


def bumped(text: str) -> str:
    return re.sub(r"^version: .*$", 'version: "9.9"', text, count=1, flags=re.M)


def test_two_cli_builds_of_different_versions_into_one_folder_leave_one_traceable_set(tmp_path: Path) -> None:
    first = tmp_path / "a" / "report.yaml"
    second = tmp_path / "b" / "report.yaml"
    for spec, text in ((first, None), (second, bumped)):
        spec.parent.mkdir()
        source = (FIXTURES / "other_code.yaml").read_text(encoding="utf-8")
        spec.write_text(text(source) if text else source, encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "build", "--force", "-o", str(out)]
    for _ in range(3):
        procs = [subprocess.Popen([*command, str(spec)], env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL) for spec in (first, second)]
        assert [proc.wait() for proc in procs] == [0, 0]
        verify = run_cli("verify", out / "report.manifest.json")
        assert verify.status == 0, verify.stdout
        assert len(verify.stdout.splitlines()) == 3
        assert sorted(os.listdir(out)) == ["report.docx", "report.manifest.json", "report.pdf", "report.xlsx"]


# --- real file systems: full, read-only ---------------------------------------------------------


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (root only); skipped outside CI when it cannot be mounted."""
    where.mkdir()
    reason = "mounting a tmpfs needs root"
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True)
        reason = f"mount failed: {mounted.stderr.strip()}"
        if mounted.returncode == 0:
            try:
                yield where
            finally:
                subprocess.run(["umount", "-l", str(where)], check=False)
            return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test a real full disk and a read-only folder: {reason}")
    pytest.skip(reason)


def spec_copy(folder: Path, edit: Callable[[str], str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (FIXTURES / "other_code.yaml").read_text(encoding="utf-8")
    target = folder / "report.yaml"
    target.write_text(edit(text) if edit else text, encoding="utf-8")
    return target


def listing(folder: Path) -> dict[str, str]:
    return {name: sha((folder / name).read_bytes()) for name in sorted(os.listdir(folder))}


def test_a_full_disk_keeps_the_old_set_whole_and_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    spec = spec_copy(tmp_path / "specs")
    with small_tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "out"
        assert run_cli("build", spec, "-o", out).status == 0
        before = listing(out)
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * (free - 64 * 1024))  # room for less than a new set
        spec.write_text(bumped(spec.read_text(encoding="utf-8")), encoding="utf-8")
        result = run_cli("build", spec, "-o", out)
        assert result.status == 3
        assert result.stderr.splitlines() == [result.stderr.strip()]
        assert "No space left on device" in result.stderr and str(out) in result.stderr
        assert listing(out) == before
        assert run_cli("verify", out / "report.manifest.json").status == 0
        (disk / "filler").unlink()
        assert run_cli("build", spec, "-o", out).status == 0
        assert listing(out) != before and run_cli("verify", out / "report.manifest.json").status == 0


def test_a_read_only_folder_is_one_line_and_verify_still_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    spec = spec_copy(tmp_path / "specs")
    with small_tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "out"
        assert run_cli("build", spec, "-o", out).status == 0
        before = listing(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        spec.write_text(bumped(spec.read_text(encoding="utf-8")), encoding="utf-8")
        result = run_cli("build", spec, "-o", out)
        assert result.status == 3
        assert result.stderr.splitlines() == [result.stderr.strip()]
        assert "Read-only file system" in result.stderr
        assert listing(out) == before
        verify = run_cli("verify", out / "report.manifest.json")
        assert verify.status == 0 and verify.stdout.count("OK ") == 3
