"""The employee list's filter bar (search, status, department) and sortable headers, as a user sees them:
the names in the table, the position line in both languages, the links the headers carry, and a query count
that does not grow with the number of employees (departments come from the list snapshot, never from
decrypting every row)."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from tests.factories import make_employee

LIST = "/portal/employees/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(company):
    past = datetime.date(2020, 1, 1)
    rows = [
        ("Bjørn Berg", "Salg", datetime.date(2019, 5, 1), None),
        ("Anders And", "Økonomi", datetime.date(2022, 1, 1), None),
        ("Åse Ørsted", "Lager", datetime.date(2018, 3, 1), None),
        ("Carla Cold", "Salg", datetime.date(2017, 2, 1), past),  # ended
    ]
    for name, department, start, end in rows:
        make_employee(company, name=name, department=department, start_date=start, end_date=end)


def get_in(client, language, params=None):
    client.post("/portal/language/", {"language": language, "next": LIST})  # the portal's own switch
    return client.get(LIST, params or {}).content.decode()


def table_names(response) -> list[str]:
    body = response.content.decode()
    table = (
        body.split('<table class="employees-table', 1)[1].split("</table>", 1)[0] if "<table" in body else ""
    )
    return [html.unescape(n) for n in re.findall(r'<a href="/portal/employees/\d+/">([^<]*)</a>', table)]


def header_link(response, label: str) -> tuple[str, str]:
    """(href, aria-sort or "") of the column header whose link reads `label`."""
    body = response.content.decode()
    match = re.search(
        r'<th scope="col"( aria-sort="(\w+)")?><a class="sort-link" href="([^"]+)">' + label, body
    )
    assert match, f"no sortable header {label}"
    return html.unescape(match.group(3)), match.group(2) or ""


def department_options(response) -> list[str]:
    body = response.content.decode()
    select = body.split('name="department"', 1)[1].split("</select>", 1)[0]
    return [html.unescape(v) for v in re.findall(r'<option value="([^"]*)"', select) if v]


def test_default_shows_current_employees_in_name_order(admin_client, staff):
    assert table_names(admin_client.get(LIST)) == ["Anders And", "Bjørn Berg", "Åse Ørsted"]


def test_filter_by_status(admin_client, staff):
    assert table_names(admin_client.get(LIST, {"status": "ended"})) == ["Carla Cold"]
    assert table_names(admin_client.get(LIST, {"status": "all"})) == [
        "Anders And",
        "Bjørn Berg",
        "Carla Cold",
        "Åse Ørsted",
    ]


def test_filter_by_department(admin_client, staff):
    assert table_names(admin_client.get(LIST, {"department": "Salg"})) == ["Bjørn Berg"]
    assert table_names(admin_client.get(LIST, {"department": "Salg", "status": "all"})) == [
        "Bjørn Berg",
        "Carla Cold",
    ]
    assert table_names(admin_client.get(LIST, {"department": "Findes ikke"})) == []


def test_filter_bar_shows_the_current_filter(admin_client, staff):
    body = admin_client.get(LIST, {"q": "berg", "status": "all", "department": "Salg"}).content.decode()
    assert 'name="q" id="id_q" maxlength="100" value="berg"' in body
    assert '<option value="all" selected>' in body
    assert '<option value="Salg" selected>' in body
    for field in ("id_q", "id_status", "id_department"):  # every field has a label, if visually hidden
        assert f'for="{field}"' in body


def test_posted_filter_redirects_with_department_and_keeps_cpr_out(admin_client, staff):
    response = admin_client.post(
        LIST, {"q": "Anders", "status": "all", "department": "Økonomi", "sort": "start"}
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query == {"q": ["Anders"], "status": ["all"], "department": ["Økonomi"], "sort": ["start"]}
    response = admin_client.post(LIST, {"q": "010190-1234", "department": "Salg"})
    assert "010190" not in response["Location"] and "department=Salg" in response["Location"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Anders And", "Bjørn Berg", "Åse Ørsted"]),
        ("-name", ["Åse Ørsted", "Bjørn Berg", "Anders And"]),
        ("start", ["Åse Ørsted", "Bjørn Berg", "Anders And"]),
        ("-start", ["Anders And", "Bjørn Berg", "Åse Ørsted"]),
        ("department", ["Åse Ørsted", "Bjørn Berg", "Anders And"]),  # Lager, Salg, Økonomi (ø after z)
        ("-department", ["Anders And", "Bjørn Berg", "Åse Ørsted"]),
    ],
)
def test_sort_each_column_both_ways(admin_client, staff, sort, expected):
    assert table_names(admin_client.get(LIST, {"sort": sort})) == expected


@pytest.mark.parametrize(
    ("label", "column"), [("Navn", "name"), ("Startdato", "start"), ("Afdeling", "department")]
)
def test_header_links_toggle_and_mark_the_sorted_column(admin_client, staff, label, column):
    href, aria = header_link(admin_client.get(LIST, HTTP_ACCEPT_LANGUAGE="da"), label)
    if column == "name":  # the default order is by name, ascending
        assert aria == "ascending"
        assert parse_qs(urlsplit(href).query)["sort"] == ["-name"]
    else:
        assert aria == ""
        assert parse_qs(urlsplit(href).query)["sort"] == [column]
        response = admin_client.get(href, HTTP_ACCEPT_LANGUAGE="da")
        href, aria = header_link(response, label)
        assert aria == "ascending"
        assert parse_qs(urlsplit(href).query)["sort"] == [f"-{column}"]
        href, aria = header_link(admin_client.get(href, HTTP_ACCEPT_LANGUAGE="da"), label)
        assert aria == "descending"
        assert parse_qs(urlsplit(href).query)["sort"] == [column]


def test_sort_links_keep_the_filters_and_go_back_to_page_one(admin_client, staff):
    response = admin_client.get(
        LIST, {"q": "r", "status": "all", "department": "Salg", "page": "2"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    href, _ = header_link(response, "Startdato")
    assert parse_qs(urlsplit(href).query) == {
        "q": ["r"],
        "status": ["all"],
        "department": ["Salg"],
        "sort": ["start"],
    }
    assert table_names(admin_client.get(href)) == ["Carla Cold", "Bjørn Berg"]


def test_position_line_in_danish_and_english(admin_client, company, settings):
    settings.EMPLOYEES_PER_PAGE = 2
    for i in range(5):
        make_employee(company, name=f"Person {i}")
    da = get_in(admin_client, "da", {"page": "2"})
    assert "3–4 af 5" in da and "2 pr. side" in da
    en = get_in(admin_client, "en", {"page": "2"})
    assert "3–4 of 5" in en and "2 per page" in en


def test_position_line_groups_thousands(admin_client, company, settings, monkeypatch):
    """10,000 employees are too slow to create here: the total is what the line formats, so it is faked."""
    from hrportal.employees import listing

    real = listing.list_employees

    def many(**kwargs):
        result = real(**kwargs)
        result.total = 10000
        return result

    monkeypatch.setattr("hrportal.employees.views.search.list_employees", many)
    make_employee(company, name="Eneste Ansat")
    assert "1–1 af 10.000" in get_in(admin_client, "da")
    assert "1–1 of 10,000" in get_in(admin_client, "en")


def test_department_select_lists_only_own_company_departments(admin_client, company, other_company, staff):
    make_employee(other_company, name="Fremmed Person", department="Hemmelig Afdeling")
    assert department_options(admin_client.get(LIST)) == ["Lager", "Salg", "Økonomi"]
    assert table_names(admin_client.get(LIST, {"department": "Hemmelig Afdeling", "status": "all"})) == []


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "department"}, {"sort": "-start"}, {"department": "Salg"}, {"q": "e", "status": "all"}],
)
def test_query_count_same_at_5_and_50_employees(admin_client, company, django_assert_max_num_queries, params):
    for i in range(5):
        make_employee(company, name=f"Few {i}", department=f"Afdeling {i % 3}")
    admin_client.get(LIST, params)  # warm session, keys and snapshot
    make_employee(company, name="Few 5", department="Salg")  # the next request rebuilds the snapshot
    with django_assert_max_num_queries(50) as few:
        admin_client.get(LIST, params)
    for i in range(45):
        make_employee(company, name=f"Many {i}", department=f"Afdeling {i % 7}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(LIST, params)
    assert response.status_code == 200
