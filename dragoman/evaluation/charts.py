"""Bar charts drawn on the server as SVG: no script, no outside library, readable by a screen
reader (a title and a description naming the largest figure; the table beside the chart holds
every figure)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH = 480
BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 170
VALUE_WIDTH = 60
MAX_BARS = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the table writes it
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    width: int
    height: int
    label_width: int
    bar_x: int
    value_x: int
    bars: list[Bar]


def bar_chart(title: str, rows: list[tuple[str, float, str]], *, unit: str = "") -> Chart:
    """A horizontal bar chart of ``(label, value, value as written)`` rows, at most MAX_BARS."""
    rows = rows[:MAX_BARS]
    largest = max((value for _label, value, _shown in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label=label if len(label) <= 28 else label[:27] + "…",
            value=value,
            shown=shown,
            y=index * (BAR_HEIGHT + GAP),
            width=max(1, round(room * value / largest)) if value else 0,
            text_y=index * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 4,
        )
        for index, (label, value, shown) in enumerate(rows)
    ]
    if rows:
        top = max(rows, key=lambda row: row[1])
        description = _("%(count)s bars; the largest: %(label)s, %(value)s.") % {
            "count": len(rows),
            "label": top[0],
            "value": top[2] + unit,
        }
    else:
        description = _("No figures for this period.")
    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=max(BAR_HEIGHT, len(bars) * (BAR_HEIGHT + GAP)),
        label_width=LABEL_WIDTH - 8,
        bar_x=LABEL_WIDTH,
        value_x=WIDTH - VALUE_WIDTH + 4,
        bars=bars,
    )
