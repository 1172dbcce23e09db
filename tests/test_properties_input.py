"""Property-based tests of the input side: no spec, structure or bytes crash loading; every refusal is located.

Split from test_properties.py (same strategies, settings and helpers), so the build property
and these run on different test workers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.document.compose import compose
from generator.spec import SpecError, load_spec
from tests.spec_strategies import dump, garbage_specs, mutated_specs, specs_with_some_undrawable_text
from tests.test_properties import DETERMINISTIC, assert_clean_problems, write_spec


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], **DETERMINISTIC)
@given(st.one_of(mutated_specs(), specs_with_some_undrawable_text(small=True)))
def test_loading_and_composing_never_crash(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spec = write_spec(Path(folder), data)
        try:
            loaded = load_spec(spec)
        except SpecError as error:
            assert_clean_problems(error, spec)
            return
        document = compose(loaded.spec)
        assert all(isinstance(text, str) and text for text in document.texts())


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], **DETERMINISTIC)
@given(garbage_specs())
def test_random_structures_are_refused_with_located_problems(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spec = write_spec(Path(folder), data)
        try:
            load_spec(spec)
        except SpecError as error:
            assert_clean_problems(error, spec)
        else:
            raise AssertionError(f"accepted garbage:\n{dump(data)}")


YAML_PIECES = st.sampled_from([
    "code: ", "title: ", "sections:", "\n", "\n  ", "\n  - ", "- ", ": ", "[", "]", "{", "}", ", ", "&a ", "*a",
    "!!python/object:os.system ", "!!str ", "!foo ", "%YAML 1.1\n", "---\n", "...\n", "? ", "|\n", ">-\n", "#",
    "'", '"', "\\", "\t", "\x00", "\x07", "\ufeff", "\u2028", "é", "日", "1.0e+999", "2026-02-30", "~", "<<: *a",
])
RAW_TEXT = st.lists(st.one_of(YAML_PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], **DETERMINISTIC)
@given(st.one_of(RAW_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)))
def test_random_bytes_are_refused_with_located_problems(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "random.yaml"
        spec.write_bytes(raw)
        try:
            load_spec(spec)
        except SpecError as error:
            assert_clean_problems(error, spec)
        else:
            raise AssertionError(f"accepted random bytes: {raw!r}")
