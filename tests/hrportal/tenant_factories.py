"""The base of the per-app tenant factories: a row is made inside its company's scope.

On PostgreSQL the suite runs as the application role under row-level security, whose `WITH CHECK` refuses
a row of a company the transaction is not scoped to; so a factory saves inside `company_scope(company)`,
as the portal does, rather than around the wall.
"""

import factory

from hrportal.tenancy import company_scope
from tests.factories import CompanyFactory


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    company = factory.SubFactory(CompanyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with company_scope(kwargs["company"]):
            return model_class.objects.create(*args, **kwargs)


class HelperFactory(TenantFactory):
    """A factory whose row is made by one of the suite's tested helpers (which also encrypt and store)."""

    class Meta:
        abstract = True

    @staticmethod
    def make(company, **kwargs):  # pragma: no cover - every subclass names its helper
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls.make(kwargs.pop("company"), **kwargs)
