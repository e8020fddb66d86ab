from hrportal.employees import demo
from hrportal.employees.models import Employee
from hrportal.tenancy import company_scope


def test_demo_seed_is_idempotent(company):  # the `company` fixture is named Demo ApS
    lines = demo.seed()
    assert "25 demo employees" in lines[0]
    assert "0 demo employees" in demo.seed()[0]
    with company_scope(company):
        employees = list(Employee.objects.all())
    assert len(employees) == 25
    assert all(e.birth_date is not None for e in employees)


def test_demo_seed_without_demo_company(db):
    assert "no company named Demo ApS" in demo.seed()[0]
