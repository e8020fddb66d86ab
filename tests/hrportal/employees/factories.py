"""Factories of hrportal.employees."""

from hrportal.employees.models import Employee
from tests.factories import make_employee
from tests.hrportal.tenant_factories import HelperFactory


class EmployeeFactory(HelperFactory):
    class Meta:
        model = Employee

    make = staticmethod(make_employee)
