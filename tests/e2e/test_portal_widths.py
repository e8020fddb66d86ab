"""In Chromium at a phone's width (390 px) and a laptop's (1366 px): the dashboard with the company details,
the employee list, an employee's record and its edit form fit the window (no horizontal scroll) and pass axe.
Each page is saved as a screenshot under the test's temporary folder, for a person to look at; none is
committed."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.tenancy import company_scope
from tests.conftest import make_admin
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import CompanyFactory, gdpr_request, make_document, make_employee

# What sticks out past the window's right edge, named in a failure (a bare "scrollWidth > width" says little).
WIDER_THAN_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  const all = [...document.querySelectorAll("body *")];
  const name = (el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}`;
  return all
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
    .slice(0, 6)
    .map((el) => `${name(el)} ${Math.round(el.getBoundingClientRect().right)}px`)
    .concat(all.filter((el) => el.scrollWidth > width + 1).slice(0, 6)
      .map((el) => `${name(el)} scrolls ${el.scrollWidth}px`));
}"""


def assert_fits(page, width):
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if not scroll[0] <= scroll[1] == width:
        pytest.fail(f"{page.url}: {scroll}; " + "; ".join(page.evaluate(WIDER_THAN_WINDOW)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
def test_dashboard_list_and_record_fit_the_window(page, private_storage, tmp_path, width, height):
    # Long words without spaces are what overflow a phone: a company name, a street, an e-mail address.
    company = CompanyFactory(
        name="Skandinaviskeindustrirengøringsvirksomheder ApS",
        address="Industrivejskvartersforbindelsesvej 1234",
        postal_code="2650",
        city="Hvidovre",
    )
    admin = make_admin(company)
    employee = make_employee(
        company,
        name="Marie-Louise Vestergaard-Kristiansen",
        email="marie-louise.vestergaard-kristiansen@skandinaviskeindustrirengoering.dk",
        phone="+45 20 30 40 50",
        address="Frederiksberg Allé 112, 3. tv.",
        postal_code="1820",
        city="Frederiksberg C",
        position="Økonomi- og lønadministrationskoordinator",
        department="Regnskabsafdelingen",
        weekly_hours=Decimal("37"),
        salary=Decimal("32000"),
        emergency_contact="Henrik Vestergaard-Kristiansen, +45 11 22 33 44",
        notes="Arbejder hjemme om fredagen.",
        start_date=datetime.date(2021, 3, 1),
    )
    for name in ("Anders Andersen", "Birgitte Bødker", "Christian Ærø"):
        make_employee(company, name=name, department="Lager", position="Lagermedarbejder")
    make_document(company, employee)
    with company_scope(company):
        gdpr_request(company, employee, received_on=datetime.date.today())
    record(
        Action.EMPLOYEE_CHANGED, actor=admin, company=company, target=employee, details={"fields": ["salary"]}
    )

    page.set_viewport_size({"width": width, "height": height})
    log_in(page, admin)
    shots = tmp_path / "screenshots"

    page.goto("/portal/")
    expect(page.locator("h1")).to_have_text(company.name)
    expect(page.locator("dl.details")).to_contain_text("Industrivejskvartersforbindelsesvej 1234")
    assert_fits(page, width)
    details = page.locator("dl.details").evaluate("dl => [dl.scrollWidth, dl.clientWidth]")
    assert details[0] <= details[1], details  # the company details wrap inside their card
    assert_no_serious_axe_violations(page)
    page.screenshot(path=shots / f"dashboard-{width}.png", full_page=True)

    page.goto("/portal/employees/")
    expect(page.locator("table tbody tr")).to_have_count(4)
    expect(page.locator("table")).to_contain_text("Marie-Louise Vestergaard-Kristiansen")
    assert_fits(page, width)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=shots / f"employees-{width}.png", full_page=True)

    page.goto(f"/portal/employees/{employee.pk}/")
    expect(page.locator("section h2")).to_have_text(
        ["Person", "Kontakt", "Ansættelse", "Løn", "Noter", "Dokumenter", "Anmodninger", "Historik"]
    )
    expect(page.locator("#pay")).to_contain_text("32.000 kr.")
    expect(page.locator("#contact")).to_contain_text(employee.email)
    expect(page.locator("#history tbody")).to_contain_text("Lønbasis (kr. pr. måned)")
    assert_fits(page, width)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=shots / f"record-{width}.png", full_page=True)

    page.get_by_role("link", name="Rediger").click()
    page.wait_for_url(f"**/portal/employees/{employee.pk}/edit/")
    expect(page.locator("fieldset legend")).to_have_text(["Person", "Kontakt", "Ansættelse", "Løn", "Noter"])
    assert_fits(page, width)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=shots / f"record-edit-{width}.png", full_page=True)
    assert sorted(p.name for p in shots.iterdir()) == sorted(
        f"{name}-{width}.png" for name in ("dashboard", "employees", "record", "record-edit")
    )
