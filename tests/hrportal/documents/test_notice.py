"""Funktionærloven § 2 notice by seniority at the thresholds, end-of-month expiry, contract deadlines."""

from datetime import date

import pytest

from hrportal.documents.notice import (
    add_months,
    completed_months,
    contract_deadline,
    employee_notice,
    employer_notice,
    notice_months_for,
    termination_date_for,
)

START = date(2015, 1, 15)


@pytest.mark.parametrize(
    "notice_date,months",
    [
        (date(2015, 1, 15), 1),  # first day
        (date(2015, 6, 14), 1),  # 4 months 30 days: under 5 months
        (date(2015, 6, 15), 3),  # exactly 5 months
        (date(2017, 10, 14), 3),  # one day short of 2 years 9 months
        (date(2017, 10, 15), 4),  # exactly 2 years 9 months
        (date(2020, 9, 14), 4),  # one day short of 5 years 8 months
        (date(2020, 9, 15), 5),  # exactly 5 years 8 months
        (date(2023, 8, 14), 5),  # one day short of 8 years 7 months
        (date(2023, 8, 15), 6),  # exactly 8 years 7 months
        (date(2040, 1, 1), 6),  # never more than 6
    ],
)
def test_notice_by_seniority_at_the_thresholds(notice_date, months):
    assert employer_notice(START, notice_date).notice_months == months


def test_the_table_itself():
    assert [notice_months_for(m) for m in (0, 4, 5, 32, 33, 67, 68, 102, 103, 500)] == [
        1,
        1,
        3,
        3,
        4,
        4,
        5,
        5,
        6,
        6,
    ]


@pytest.mark.parametrize(
    "notice_date,months,expected",
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # given on the last day of January: end of February
        (date(2024, 2, 1), 1, date(2024, 3, 31)),  # given in February: end of March
        (date(2024, 2, 29), 1, date(2024, 3, 31)),
        (date(2023, 11, 15), 3, date(2024, 2, 29)),  # across the year end, leap year
        (date(2024, 6, 30), 6, date(2024, 12, 31)),
    ],
)
def test_notice_expires_at_the_end_of_a_month(notice_date, months, expected):
    assert termination_date_for(notice_date, months) == expected


def test_calculation_shows_seniority_and_last_weekday():
    calc = employer_notice(date(2019, 3, 1), date(2024, 8, 20))
    assert (calc.seniority_years, calc.seniority_remainder_months) == (5, 5)
    assert calc.notice_months == 4
    assert calc.termination_date == date(2024, 12, 31)
    assert calc.last_weekday == date(2024, 12, 31)  # a Tuesday
    weekend = employer_notice(date(2024, 1, 1), date(2024, 2, 10))  # ends 31 March 2024, a Sunday
    assert weekend.termination_date == date(2024, 3, 31)
    assert weekend.last_weekday == date(2024, 3, 29)


def test_month_arithmetic_clamps():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert completed_months(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert completed_months(date(2024, 1, 31), date(2024, 2, 28)) == 0


def test_notice_before_start_is_refused():
    with pytest.raises(ValueError):
        employer_notice(date(2024, 5, 1), date(2024, 4, 30))


def test_contract_deadlines():
    start = date(2024, 3, 1)
    assert contract_deadline(start, date(2024, 3, 1)).level == "ok"
    assert contract_deadline(start, date(2024, 3, 5)).level == "soon"
    assert contract_deadline(start, date(2024, 3, 9)).core_overdue
    assert contract_deadline(start, date(2024, 3, 9)).level == "overdue"
    late = contract_deadline(start, date(2024, 4, 2))
    assert late.rest_overdue and late.rest_due == date(2024, 4, 1)


@pytest.mark.parametrize(
    "notice_date,expected",
    [
        (date(2024, 1, 1), date(2024, 2, 29)),  # first day of a month: end of the next month
        (date(2024, 1, 31), date(2024, 2, 29)),  # last day of January still reaches end of February (leap)
        (date(2023, 1, 31), date(2023, 2, 28)),  # ... and 28 February in a common year
        (date(2024, 2, 1), date(2024, 3, 31)),  # one day later: a month later
        (date(2024, 2, 29), date(2024, 3, 31)),
        (date(2024, 11, 30), date(2024, 12, 31)),
        (date(2024, 12, 31), date(2025, 1, 31)),  # across the year end
    ],
)
def test_employee_notice_is_one_month_to_the_end_of_a_month(notice_date, expected):
    calc = employee_notice(date(2023, 1, 1), notice_date)
    assert calc.notice_months == 1
    assert calc.termination_date == expected


@pytest.mark.parametrize("start", [date(2024, 1, 15), date(2019, 3, 1), date(2010, 6, 1)])
def test_employee_notice_does_not_grow_with_seniority(start):
    calc = employee_notice(start, date(2024, 1, 15))
    employer = employer_notice(start, date(2024, 1, 15))
    assert calc.notice_months == 1 and calc.termination_date == date(2024, 2, 29)
    assert calc.seniority_months == employer.seniority_months
    assert employer.termination_date >= calc.termination_date


def test_employee_notice_last_weekday_and_before_start():
    calc = employee_notice(date(2024, 1, 1), date(2024, 2, 10))  # ends Sunday 31 March 2024
    assert calc.termination_date == date(2024, 3, 31)
    assert calc.last_weekday == date(2024, 3, 29)
    with pytest.raises(ValueError):
        employee_notice(date(2024, 5, 1), date(2024, 4, 30))
