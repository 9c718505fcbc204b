"""HR's /stats: the funnel as a table and a chart, the HR chat's backlog, the departments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.catalogue.service import CatalogueService
from bot.i18n import Localizer
from bot.rendering.chart import Bar, bar_chart
from bot.rendering.messages import escape, split_blocks
from bot.scheduling.stages import TEXT_KEYS, StageCode
from bot.services import outbox
from bot.services.funnel import FUNNEL
from bot.services.stats import (
    DEPARTMENT_STEPS,
    NO_SOURCE,
    SOURCE_STEPS,
    DepartmentFunnel,
    FunnelReport,
    Period,
    SourceReport,
    StageInfo,
)


def _percent(share: float | None) -> str:
    if share is None:
        return ""
    if 0 < share < 1:
        return "<1%"
    return f"{round(share)}%"


def _period_name(i18n: Localizer, period: Period) -> str:
    return i18n(f"hr_tools.stats.period.{period.value}")


def funnel_text(i18n: Localizer, report: FunnelReport) -> str:
    labels = [i18n(f"hr_tools.stats.step.{s.step.value}") for s in report.steps]
    width = max(len(label) for label in labels)
    head = (
        f"{'#':>2} {i18n('hr_tools.stats.column.step'):<{width}} "
        f"{i18n('hr_tools.stats.column.people'):>6} {i18n('hr_tools.stats.column.share'):>8}"
    )
    lines = [head]
    for index, (row, label) in enumerate(zip(report.steps, labels, strict=True), start=1):
        line = f"{index:>2} {label:<{width}} {row.people:>6} {_percent(row.of_previous):>8}"
        lines.append(line.rstrip())
    table = escape("\n".join(lines))
    title = i18n("hr_tools.stats.title", period=_period_name(i18n, report.period))
    return f"{title}\n<pre>{table}</pre>\n{i18n('hr_tools.stats.note')}"


def funnel_chart(report: FunnelReport) -> bytes:
    return bar_chart(
        [
            Bar(label=str(index), value=row.people, note=_percent(row.of_previous))
            for index, row in enumerate(report.steps, start=1)
        ]
    )


def chart_caption(i18n: Localizer, period: Period) -> str:
    legend = "\n".join(
        f"{index} — {i18n(f'hr_tools.stats.step.{step.value}')}"
        for index, step in enumerate(FUNNEL, start=1)
    )
    return i18n("hr_tools.stats.chart_caption", period=_period_name(i18n, period), legend=legend)


def backlog_text(i18n: Localizer, backlog: outbox.Backlog, now: datetime) -> str:
    """Messages to the HR chat that wait (an outage shows here first); empty when none."""
    if not backlog.waiting:
        return ""
    return "\n\n" + i18n(
        "hr_tools.stats.backlog",
        waiting=backlog.waiting,
        minutes=backlog.minutes(now),
        failing=backlog.failing,
    )


def departments_blocks(
    i18n: Localizer,
    catalogue: CatalogueService,
    period: Period,
    rows: Sequence[DepartmentFunnel],
) -> list[str]:
    """/stats by department: one block per department with activity, the idle ones named."""
    names = {d.id: d.name.get(i18n.lang) for d in catalogue.catalogue.departments}
    blocks = [i18n("hr_tools.stats.departments_title", period=_period_name(i18n, period))]
    idle = []
    for row in rows:
        if row.total == 0:
            idle.append(escape(names[row.department]))
            continue
        figures = " → ".join(
            f"{i18n(f'hr_tools.stats.short.{step.value}')} {row.counts[step]}"
            for step in DEPARTMENT_STEPS
        )
        blocks.append(f"<b>{escape(names[row.department])}</b>\n{figures}")
    if len(idle) == len(rows):
        blocks.append(i18n("hr_tools.stats.empty"))
    elif idle:
        blocks.append(i18n("hr_tools.stats.no_activity", names="; ".join(idle)))
    return split_blocks(blocks)


def _stage_name(i18n: Localizer, stage: StageInfo) -> str:
    own = stage.name_kk if i18n.lang == "kk" else stage.name_ru
    if own:
        return own
    try:
        code = StageCode(stage.code)
    except ValueError:
        code = StageCode.custom
    return i18n(TEXT_KEYS[code].name)


def _days(i18n: Localizer, days: float | None) -> str:
    if days is None:
        return i18n("sources.stats.no_hires")
    # A whole number as one (CLDR: «9 дней»; 9.0 would take the fraction's form).
    return i18n("sources.stats.hire_time", days=int(days) if days.is_integer() else days)


def sources_blocks(i18n: Localizer, report: SourceReport) -> list[str]:
    """/stats by source: a block per source (its funnel, who passed each stage, the median
    time to hire), the people without a source last."""
    title = i18n("sources.stats.title", period=_period_name(i18n, report.period))
    blocks = [f"{title}\n{_days(i18n, report.median_days_to_hire)}"]
    if not report.rows:
        blocks.append(i18n("hr_tools.stats.empty"))
    for row in report.rows:
        name = i18n("sources.stats.none") if row.source == NO_SOURCE else escape(row.source)
        figures = " → ".join(
            f"{i18n(f'sources.stats.step.{step.value}')} {row.counts[step]}"
            for step in SOURCE_STEPS
        )
        lines = [f"<b>{name}</b>", figures]
        passed = [
            f"{escape(_stage_name(i18n, stage))} {row.passed[stage.id]}"
            for stage in report.stages
            if row.passed.get(stage.id)
        ]
        if passed:
            lines.append(i18n("sources.stats.passed", stages=" · ".join(passed)))
        if row.median_days_to_hire is not None:
            lines.append(_days(i18n, row.median_days_to_hire))
        blocks.append("\n".join(lines))
    return split_blocks(blocks)
