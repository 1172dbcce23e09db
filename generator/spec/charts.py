"""The checks on `charts` that need the whole spec: rows found by metric and period, one unit, placements.

The type-driven walk of `spec.validate` has checked every chart's shape; what it cannot
see is whether a chart's rows exist among the benchmarks, share one unit, line up with the
categories, and whether each chart is placed at most once under a known id. Each problem
names the YAML node it comes from.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from decimal import Decimal

import yaml

from generator.spec.errors import Problem
from generator.spec.locate import find
from generator.spec.model import Benchmark, Chart, ChartPlacement, ChartRow, Section, Spec


def chart_problems(spec: Spec, root: yaml.Node) -> list[Problem]:
    """Every problem of the spec's charts and chart placements, each at its node."""
    checker = _Checker(root)
    ids: dict[str, str] = {}
    for index, chart in enumerate(spec.charts):
        path = f"charts[{index}]"
        if chart.id in ids:
            checker.error(f"{path}.id", f"chart id '{chart.id}' is already used by {ids[chart.id]}")
        ids.setdefault(chart.id, path)
        checker.chart(chart, path, spec.benchmarks)
    checker.placements(spec.sections, ids)
    return checker.problems


def benchmark_row(benchmarks: tuple[Benchmark, ...], row: ChartRow) -> int:
    """The index of the one benchmark a chart row plots (the spec is valid, so it exists)."""
    return next(i for i, b in enumerate(benchmarks) if (b.metric, b.period) == (row.metric, row.period))


def chart_categories(chart: Chart) -> tuple[str, ...]:
    """The chart's category labels: as given, or the periods of its first series' rows."""
    return chart.categories or tuple(row.period or "" for row in chart.series[0].rows)


def placed_charts(sections: tuple[Section, ...], path: str = "") -> Iterator[tuple[str, str]]:
    """(chart id, field path of its placement) for every `- chart:` block, in reading order."""
    for i, section in enumerate(sections):
        where = f"{path}.sections[{i}]" if path else f"sections[{i}]"
        for j, item in enumerate(section.body):
            if isinstance(item, ChartPlacement):
                yield item.chart, f"{where}.body[{j}]"
        yield from placed_charts(section.sections, where)


class _Checker:
    def __init__(self, root: yaml.Node) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem.at(find(self.root, path), path, message))

    def chart(self, chart: Chart, path: str, benchmarks: tuple[Benchmark, ...]) -> None:
        first_unit: tuple[str, str] | None = None  # (unit, where it was set)
        for s, series in enumerate(chart.series):
            for r, row in enumerate(series.rows):
                row_path = f"{path}.series[{s}].rows[{r}]"
                found = self.row(row, row_path, benchmarks)
                if found is None:
                    continue
                if first_unit is None:
                    first_unit = (found.unit.value, row_path)
                elif found.unit.value != first_unit[0]:
                    self.error(
                        row_path,
                        f"unit {found.unit.value} differs from the chart's unit {first_unit[0]} ({first_unit[1]});"
                        " one chart plots one unit",
                    )
        self.categories(chart, path)

    def row(self, row: ChartRow, path: str, benchmarks: tuple[Benchmark, ...]) -> Benchmark | None:
        """The benchmark `row` plots, or None after recording why there is none."""
        same_metric = [b for b in benchmarks if b.metric == row.metric]
        if not same_metric:
            hint = difflib.get_close_matches(row.metric, [b.metric for b in benchmarks], n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.error(f"{path}.metric", f"no benchmark has the metric '{row.metric}'{suggestion}")
            return None
        matches = [b for b in same_metric if b.period == row.period]
        if not matches:
            periods = ", ".join(b.period or "(none)" for b in same_metric)
            where = f"{path}.period" if row.period is not None else path
            shown = f"period '{row.period}'" if row.period is not None else "row without a period"
            self.error(where, f"benchmark '{row.metric}' has no {shown}; its periods: {periods}")
            return None
        if len(matches) > 1:
            self.error(path, f"{len(matches)} benchmark rows have this metric and period; a chart row must pick one")
            return None
        found = matches[0]
        if found.value is not None and not isinstance(found.value, Decimal):
            self.error(path, f"the benchmark's value is text ({found.value!r}); a chart plots numbers")
            return None
        return found

    def categories(self, chart: Chart, path: str) -> None:
        if not chart.categories and any(row.period is None for row in chart.series[0].rows):
            self.error(path, "a row of the first series has no period; give the chart `categories`")
            return
        wanted = len(chart_categories(chart))
        for s, series in enumerate(chart.series):
            if len(series.rows) != wanted:
                self.error(
                    f"{path}.series[{s}].rows",
                    f"{len(series.rows)} row(s) for {wanted} categor{'y' if wanted == 1 else 'ies'}; one row per category",
                )

    def placements(self, sections: tuple[Section, ...], ids: dict[str, str]) -> None:
        first: dict[str, str] = {}
        for chart_id, path in placed_charts(sections):
            if chart_id not in ids:
                hint = difflib.get_close_matches(chart_id, list(ids), n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.error(f"{path}.chart", f"unknown chart '{chart_id}'{suggestion}; charts are defined under `charts`")
            elif chart_id in first:
                self.error(path, f"chart '{chart_id}' is already placed at {first[chart_id]}; a chart appears once")
            else:
                first[chart_id] = path
