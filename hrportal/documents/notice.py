"""Notice for a salaried employee (funktionærloven § 2), the employer's and the employee's, and
ansættelsesbevis deadlines.

Funktionærloven § 2, stk. 2: the employer's notice is 1 month in the first 6 months of employment, then
3 months, extended by one month for each 3 years of employment, to at most 6 months; notice expires at the
end of a month. Measured by seniority on the day notice is given, that is the table below (the durations
already include the notice itself):

    seniority when notice is given    notice
    under 5 months                    1 month
    5 months - under 2 years 9 months 3 months
    2 years 9 months - under 5y 8m    4 months
    5 years 8 months - under 8y 7m    5 months
    8 years 7 months or more          6 months

The employment ends on the last day of the month that lies `notice` months after the month in which
notice is given (notice given any day in February with 1 month's notice ends employment on 31 March;
given on 31 January, on 28/29 February).

The employee's own notice (§ 2, stk. 4) is 1 month to the end of a month whatever the seniority: a
resignation given any day in January, the 31st included, ends employment on 28/29 February.

Limits: agreed longer notice (for the employee only with a matching longer notice for the employer,
§ 2, stk. 5) and the 120-day rule (§ 5, stk. 2) are not modelled; the termination form lets the user
override the result with a reason. Employees who are not funktionærer do not come here: the termination
form asks, and takes their agreed notice as written.
"""

import calendar
import datetime
from dataclasses import dataclass

# (seniority threshold in months, notice in months), highest first.
NOTICE_TABLE = [
    (8 * 12 + 7, 6),
    (5 * 12 + 8, 5),
    (2 * 12 + 9, 4),
    (5, 3),
    (0, 1),
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def completed_months(start: datetime.date, on: datetime.date) -> int:
    """Whole months of employment from `start` to `on` (start + n months <= on)."""
    if on < start:
        return 0
    months = (on.year - start.year) * 12 + (on.month - start.month)
    while months > 0 and add_months(start, months) > on:
        months -= 1
    return months


@dataclass(frozen=True)
class NoticeCalculation:
    start_date: datetime.date
    notice_date: datetime.date
    seniority_months: int
    notice_months: int
    termination_date: datetime.date  # the last day of employment (fratrædelsesdato)
    last_weekday: datetime.date  # the last Monday-Friday on or before it (public holidays not considered)

    @property
    def seniority_years(self) -> int:
        return self.seniority_months // 12

    @property
    def seniority_remainder_months(self) -> int:
        return self.seniority_months % 12


def notice_months_for(seniority_months: int) -> int:
    for threshold, months in NOTICE_TABLE:
        if seniority_months >= threshold:
            return months
    return 1


def termination_date_for(notice_date: datetime.date, notice_months: int) -> datetime.date:
    return end_of_month(add_months(notice_date.replace(day=1), notice_months))


def last_weekday_on_or_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def employer_notice(start_date: datetime.date, notice_date: datetime.date) -> NoticeCalculation:
    """Funktionærloven § 2 notice when the employer gives notice on `notice_date`."""
    if notice_date < start_date:
        raise ValueError("Notice cannot be given before the employment starts")
    seniority = completed_months(start_date, notice_date)
    months = notice_months_for(seniority)
    termination = termination_date_for(notice_date, months)
    return NoticeCalculation(
        start_date=start_date,
        notice_date=notice_date,
        seniority_months=seniority,
        notice_months=months,
        termination_date=termination,
        last_weekday=last_weekday_on_or_before(termination),
    )


EMPLOYEE_NOTICE_MONTHS = 1


def employee_notice(start_date: datetime.date, notice_date: datetime.date) -> NoticeCalculation:
    """Funktionærloven § 2, stk. 4 notice when the employee resigns on `notice_date`: 1 month to the end of
    a month, the same at any seniority (shown in the calculation all the same)."""
    if notice_date < start_date:
        raise ValueError("Notice cannot be given before the employment starts")
    termination = termination_date_for(notice_date, EMPLOYEE_NOTICE_MONTHS)
    return NoticeCalculation(
        start_date=start_date,
        notice_date=notice_date,
        seniority_months=completed_months(start_date, notice_date),
        notice_months=EMPLOYEE_NOTICE_MONTHS,
        termination_date=termination,
        last_weekday=last_weekday_on_or_before(termination),
    )


# --- Ansættelsesbevisloven deadlines -------------------------------------------------------------------

CORE_DEADLINE_DAYS = 7
REST_DEADLINE_MONTHS = 1
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class ContractDeadline:
    core_due: datetime.date
    rest_due: datetime.date
    core_overdue: bool
    rest_overdue: bool
    due_soon: bool

    @property
    def level(self) -> str:
        if self.core_overdue or self.rest_overdue:
            return "overdue"
        return "soon" if self.due_soon else "ok"


def contract_deadline(start_date: datetime.date, today: datetime.date) -> ContractDeadline:
    """The ansættelsesbevis deadlines counted from the start date: 7 days (core items) and 1 month (rest)."""
    core_due = start_date + datetime.timedelta(days=CORE_DEADLINE_DAYS)
    rest_due = add_months(start_date, REST_DEADLINE_MONTHS)
    return ContractDeadline(
        core_due=core_due,
        rest_due=rest_due,
        core_overdue=today > core_due,
        rest_overdue=today > rest_due,
        due_soon=today >= core_due - datetime.timedelta(days=DUE_SOON_DAYS)
        or today >= rest_due - datetime.timedelta(days=DUE_SOON_DAYS),
    )
