"""The front page's two charts (issue 17): headcount over the last months and the retention timeline.

The numbers come from aggregate queries grouped by month (start and end dates are plain columns, see
hrportal/employees/models.py), so a company with 10,000 employees costs the same few queries as one with ten
and no row is decrypted. The drawing is computed here, not in the template, and rendered as inline SVG by
templates/hrportal/includes/chart_bars.html: no script, no style attribute (the portal's CSP forbids both),
colours from classes in site.css. The same numbers go in a table beside each chart for screen readers.

A leaver counts in the month of their last day and no longer in that month's headcount, so each month's
headcount is the previous one plus its hires minus its leavers.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrportal.privacy.dates import add_months, add_years
from hrportal.tenancy import company_scope


@dataclass(frozen=True)
class HeadcountMonth:
    month: datetime.date  # the first day of the month
    headcount: int  # employed after the month's last day
    hires: int  # first day in the month
    leavers: int  # last day in the month

    @property
    def label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class RetentionMonth:
    month: datetime.date
    employees: int  # ended employees whose file the sweep deletes in the month
    retained: int  # records kept by law whose period ends in the month

    @property
    def total(self) -> int:
        return self.employees + self.retained

    @property
    def label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _per_month(queryset, field: str) -> dict[datetime.date, int]:
    """Counts of `queryset` by the month of the date `field`: one query."""
    rows = queryset.annotate(m=TruncMonth(field)).values("m").annotate(n=Count("pk")).order_by("m")
    return {_as_date(row["m"]): row["n"] for row in rows}


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def headcount(company, months: int = 24, today: datetime.date | None = None) -> list[HeadcountMonth]:
    """The last `months` months up to and including this one, oldest first: three queries."""
    from hrportal.employees.models import Employee

    today = today or timezone.localdate()
    last = _first_of_month(today)
    first = add_months(last, -(months - 1))
    end = add_months(last, 1)  # exclusive
    with company_scope(company):
        employees = Employee.objects.all()
        before = first - datetime.timedelta(days=1)
        running = employees.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=before), start_date__lte=before
        ).count()
        hires = _per_month(employees.filter(start_date__gte=first, start_date__lt=end), "start_date")
        leavers = _per_month(employees.filter(end_date__gte=first, end_date__lt=end), "end_date")
    result = []
    for i in range(months):
        month = add_months(first, i)
        running += hires.get(month, 0) - leavers.get(month, 0)
        result.append(HeadcountMonth(month, running, hires.get(month, 0), leavers.get(month, 0)))
    return result


def retention_timeline(company, months: int = 12, today: datetime.date | None = None) -> list[RetentionMonth]:
    """This month and the following ones, oldest first: what the daily sweep deletes in each (three
    queries). An ended employee's file goes `retention_years` after the end date, the month of which is
    the end date's month that many years later (29 February moves to the 28th, the same month)."""
    from hrportal.employees.models import Employee
    from hrportal.privacy.models import RetainedRecord
    from hrportal.privacy.retention import retention_years

    today = today or timezone.localdate()
    first = _first_of_month(today)
    end = add_months(first, months)  # exclusive; a first of the month exists in every year
    years = retention_years(company)
    with company_scope(company):
        ended = Employee.objects.filter(
            end_date__gte=add_years(first, -years), end_date__lt=add_years(end, -years)
        )
        employees = {add_years(m, years): n for m, n in _per_month(ended, "end_date").items()}
        kept = _per_month(RetainedRecord.objects.filter(delete_on__gte=first, delete_on__lt=end), "delete_on")
    return [
        RetentionMonth(month, employees.get(month, 0), kept.get(month, 0))
        for month in (add_months(first, i) for i in range(months))
    ]


# --- Drawing --------------------------------------------------------------------------------------------

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 56


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    text: str
    year: str  # under January and the first month, else ""


@dataclass(frozen=True)
class GridLine:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: list[Bar]
    ticks: list[Tick]
    grid: list[GridLine]
    columns: list[str]  # the table's headings after the month
    rows: list[tuple[str, list[int]]]  # (month, numbers)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    value_x: int = LEFT - 6  # the grid lines' numbers, right-aligned left of the plot
    tick_y: int = HEIGHT - BOTTOM + 22
    year_y: int = HEIGHT - BOTTOM + 46


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^n at least `value` (at least 2, so the middle line is a whole number)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= max(value, 2):
                return factor * step
        step *= 10


def _draw(chart_id, title, months, values, titles, columns, rows) -> Chart:
    n = len(months)
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n if n else plot_w
    step = 1 if n <= 12 else 3  # a label every third month on the long chart, so they stay readable
    bars, ticks = [], []
    for i, (month, value, text) in enumerate(zip(months, values, titles, strict=True)):
        height = round(plot_h * value / top, 1)
        x = round(LEFT + i * slot + slot * 0.15, 1)
        bars.append(Bar(x, round(TOP + plot_h - height, 1), round(slot * 0.7, 1), height, text))
        if i % step == 0:
            year = date_format(month, "Y") if (i == 0 or month.month <= step) else ""
            ticks.append(Tick(round(LEFT + i * slot + slot / 2, 1), date_format(month, "M"), year))
    grid = [GridLine(round(TOP + plot_h - plot_h * v / top, 1), v) for v in (0, top // 2, top)]
    return Chart(chart_id, title, bars, ticks, grid, columns, rows)


def headcount_chart(company, months: int = 24, today=None) -> Chart:
    data = headcount(company, months, today)
    titles = [
        _("%(month)s: %(headcount)s at the end of the month, %(hires)s hired, %(leavers)s left")
        % {"month": m.label, "headcount": m.headcount, "hires": m.hires, "leavers": m.leavers}
        for m in data
    ]
    return _draw(
        "chart-headcount",
        ngettext(
            "Employees over the last %(months)d month", "Employees over the last %(months)d months", months
        )
        % {"months": months},
        [m.month for m in data],
        [m.headcount for m in data],
        titles,
        [_("Employees at the end of the month"), _("Hired"), _("Left")],
        [(m.label, [m.headcount, m.hires, m.leavers]) for m in data],
    )


def retention_chart(company, months: int = 12, today=None) -> Chart:
    data = retention_timeline(company, months, today)
    titles = [
        ngettext(
            "%(month)s: %(count)d record reaches its deletion date",
            "%(month)s: %(count)d records reach their deletion date",
            m.total,
        )
        % {"month": m.label, "count": m.total}
        for m in data
    ]
    return _draw(
        "chart-retention",
        ngettext(
            "Records reaching their deletion date in the next %(months)d month",
            "Records reaching their deletion date in the next %(months)d months",
            months,
        )
        % {"months": months},
        [m.month for m in data],
        [m.total for m in data],
        titles,
        [_("Employee files"), _("Records kept by law"), _("Total")],
        [(m.label, [m.employees, m.retained, m.total]) for m in data],
    )
