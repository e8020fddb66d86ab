"""Every page type and every tenant model has a factory, and each factory makes a row of the company it
is given, so a test of a new model starts from a factory rather than hand-built rows."""

import importlib
import pkgutil

import factory
import pytest
from django.apps import apps
from wagtail.models import Page

import tests.cms_pages.factories
import tests.hrportal
from hrportal.employees.models import Employee
from hrportal.tenancy import TenantModel, company_scope
from tests.factories import gdpr_employee, make_document_employee, make_employee


def factories_in(module):
    return {
        value._meta.model: value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and not value._meta.abstract
    }


def tenant_factories():
    found = {}
    for info in pkgutil.walk_packages(tests.hrportal.__path__, "tests.hrportal."):
        if info.name.endswith(".factories"):
            found.update(factories_in(importlib.import_module(info.name)))
    return found


TENANT_MODELS = sorted(
    (m for m in apps.get_models() if issubclass(m, TenantModel)), key=lambda m: m._meta.label
)


def test_every_page_type_and_tenant_model_has_a_factory():
    page_types = {m for m in apps.get_models() if issubclass(m, Page) and m is not Page}
    assert page_types and page_types <= set(factories_in(tests.cms_pages.factories))
    missing = [m._meta.label for m in TENANT_MODELS if m not in tenant_factories()]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m._meta.label)
def test_each_tenant_factory_makes_a_row_of_the_company_it_is_given(model, company, other_company):
    row = tenant_factories()[model](company=company)
    assert row.company_id == company.pk
    with company_scope(company):
        assert model.objects.filter(pk=row.pk).exists()
    with company_scope(other_company):
        assert not model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_factory_employees_of_one_company_never_share_a_cpr_number(company):
    """Each factory once had its own CPR counter; in one company their sequences met at an offset that
    depended on which tests a worker had run before, so the isolation test failed now and then with an
    IntegrityError on the unique CPR per company."""
    for _ in range(40):
        gdpr_employee(company)
    for _ in range(160):
        make_document_employee(company)
    for _ in range(20):
        make_employee(company)
    with company_scope(company):
        cprs = [employee.cpr.replace("-", "") for employee in Employee.objects.all()]
    assert len(cprs) == 220
    assert len(set(cprs)) == len(cprs)
