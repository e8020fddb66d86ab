"""The front page's charts count what the seeded data says, per month, inside the company (issue 17).

Headcount: a hire counts in the month of the first day, a leaver in the month of the last day and no
longer in that month's headcount. Retention: an ended employee's file reaches its deletion date the
company's retention years after the end date; records kept by law on their own date. The page draws one
bar per month with the same numbers in a table, and its queries do not grow with the number of employees.
"""

import datetime
import re

import pytest
from freezegun import freeze_time

from hrportal.companies import charts
from hrportal.privacy.models import RetainedRecord, RetentionPolicy
from hrportal.tenancy import company_scope
from tests.factories import make_employee

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


def seed(company):
    make_employee(company, name="Før Vinduet", start_date=D(2020, 1, 1))  # before the window, stays
    make_employee(company, name="Gik Tidligt", start_date=D(2020, 1, 1), end_date=D(2024, 6, 30))
    make_employee(company, name="Gik I Vinduet", start_date=D(2019, 5, 1), end_date=D(2025, 3, 31))
    make_employee(company, name="Ny Juli", start_date=D(2024, 7, 1))  # the window's first month
    make_employee(company, name="Ny Og Gået", start_date=D(2025, 3, 3), end_date=D(2025, 3, 20))
    make_employee(company, name="Ny Januar", start_date=D(2026, 1, 5), end_date=D(2026, 6, 30))


def test_headcount_per_month(company, other_company):
    seed(company)
    make_employee(other_company, name="Fremmed", start_date=D(2025, 3, 1))  # never counts here
    months = {m.month: m for m in charts.headcount(company, today=TODAY)}
    assert len(months) == 24
    assert min(months) == D(2024, 7, 1) and max(months) == D(2026, 6, 1)
    # End of June 2024, the month before: Før Vinduet and Gik I Vinduet (Gik Tidligt left on the 30th).
    july = months[D(2024, 7, 1)]
    assert (july.headcount, july.hires, july.leavers) == (3, 1, 0)
    march = months[D(2025, 3, 1)]
    assert (march.headcount, march.hires, march.leavers) == (2, 1, 2)
    january = months[D(2026, 1, 1)]
    assert (january.headcount, january.hires, january.leavers) == (3, 1, 0)
    june = months[D(2026, 6, 1)]
    assert (june.headcount, june.hires, june.leavers) == (2, 0, 1)
    assert months[D(2025, 4, 1)].headcount == 2
    assert sum(m.hires for m in months.values()) == 3


def test_retention_month_is_end_date_plus_the_companys_years(company, other_company):
    with company_scope(company):
        RetentionPolicy.objects.create(years_after_employment=3)
    make_employee(company, name="Slettes August", start_date=D(2015, 1, 1), end_date=D(2023, 8, 31))
    make_employee(company, name="Slettes Også August", start_date=D(2015, 1, 1), end_date=D(2023, 8, 1))
    make_employee(company, name="Allerede Forbi", start_date=D(2015, 1, 1), end_date=D(2023, 5, 31))
    make_employee(company, name="For Sent", start_date=D(2015, 1, 1), end_date=D(2024, 6, 1))  # June 2027
    make_employee(company, name="Stadig Ansat", start_date=D(2015, 1, 1))
    with company_scope(company):
        RetainedRecord.objects.create(
            employee_ref=1, data="{}", legal_basis="bookkeeping", delete_on=D(2026, 6, 20)
        )
    # The other company keeps the default 5 years: its employee ending 2021-08 would fall in August too.
    make_employee(other_company, name="Fremmed", start_date=D(2015, 1, 1), end_date=D(2023, 8, 15))
    make_employee(other_company, name="Fremmed 2", start_date=D(2015, 1, 1), end_date=D(2021, 8, 15))

    months = {m.month: m for m in charts.retention_timeline(company, today=TODAY)}
    assert len(months) == 12
    assert min(months) == D(2026, 6, 1) and max(months) == D(2027, 5, 1)
    assert (months[D(2026, 8, 1)].employees, months[D(2026, 8, 1)].retained) == (2, 0)
    assert (months[D(2026, 6, 1)].employees, months[D(2026, 6, 1)].retained) == (0, 1)
    assert sum(m.total for m in months.values()) == 3
    # The same employee under the default years lands five years after the end date.
    other = {m.month: m.employees for m in charts.retention_timeline(other_company, today=TODAY)}
    assert other[D(2026, 8, 1)] == 1


def bars(html: str, chart_id: str) -> list[str]:
    figure = re.search(rf'<figure class="chart" data-chart="{chart_id}">(.*?)</figure>', html, re.S).group(1)
    return re.findall(r'<rect class="chart__bar"[^>]*><title>([^<]+)</title>', figure)


def table_rows(html: str, chart_id: str) -> list[tuple[str, list[str]]]:
    start = html.index(f'data-chart="{chart_id}"')
    table = html[start:].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    return [(month, re.findall(r"<td>([^<]+)</td>", cells)) for month, cells in rows]


@pytest.mark.django_db
@freeze_time(TODAY)
def test_the_dashboard_draws_a_bar_per_month_and_the_same_numbers_in_a_table(admin_client, company):
    seed(company)
    html = admin_client.get("/portal/").content.decode()
    head = bars(html, "chart-headcount")
    rows = table_rows(html, "chart-headcount")
    assert len(head) == len(rows) == 24
    data = charts.headcount(company, today=TODAY)
    assert [numbers for _month, numbers in rows] == [
        [str(m.headcount), str(m.hires), str(m.leavers)] for m in data
    ]
    assert [month for month, _numbers in rows] == [m.label for m in data]
    # Against the seeded data, as a reader of the table would check it.
    assert dict(rows)["marts 2025"] == ["2", "1", "2"]
    assert dict(rows)["juni 2026"] == ["2", "0", "1"]
    assert len(bars(html, "chart-retention")) == len(table_rows(html, "chart-retention")) == 12
    # Accessible: labelled by the visible caption, month names in Danish, no style attribute (the CSP).
    assert 'role="img" aria-labelledby="chart-headcount-caption"' in html
    assert 'id="chart-headcount-caption"' in html
    assert "Medarbejdere de seneste 24 måneder" in html
    danish = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
    assert re.search(rf'<th scope="row">({danish}) 20\d\d</th>', html)
    assert "style=" not in html.split('<section class="card charts"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("employees", [5, 50])
def test_the_charts_cost_the_same_at_5_and_50_employees(company, employees, django_assert_max_num_queries):
    for n in range(employees):
        make_employee(
            company,
            name=f"Ansat {n}",
            start_date=D(2025, 1 + n % 12, 1),
            end_date=D(2026, 1 + n % 12, 1) if n % 3 else None,
        )
    with django_assert_max_num_queries(3):
        charts.headcount_chart(company)
    with django_assert_max_num_queries(3):
        charts.retention_chart(company)
