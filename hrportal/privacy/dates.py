"""Date rules of data-subject rights and retention, as plain functions the tests call directly."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the last day of that month when the day does not exist there."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def one_month_after(received: datetime.date) -> datetime.date:
    """GDPR art. 12(3): answer within one month of receipt (31 January -> 28/29 February)."""
    return add_months(received, 1)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same date `years` later (29 February -> 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def financial_year_end(day: datetime.date, end_month: int = 12, end_day: int = 31) -> datetime.date:
    """The last day of the financial year containing `day` (calendar year by default)."""
    end = datetime.date(day.year, end_month, end_day)
    return end if day <= end else datetime.date(day.year + 1, end_month, end_day)


def bookkeeping_keep_until(day: datetime.date, end_month: int = 12, end_day: int = 31) -> datetime.date:
    """Bogføringsloven: kept 5 years from the end of the financial year; the last day it must be kept."""
    return add_years(financial_year_end(day, end_month, end_day), 5)
