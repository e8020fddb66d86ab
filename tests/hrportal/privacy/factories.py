"""Factories of hrportal.privacy."""

import datetime

import factory

from hrportal.privacy.models import (
    DataSubjectRequest,
    DPAAcceptance,
    DPANotice,
    ProcessingRestriction,
    RequestLink,
    RetainedRecord,
    RetentionPolicy,
)
from tests.factories import gdpr_acceptance, gdpr_request, gdpr_request_link
from tests.hrportal.employees.factories import EmployeeFactory
from tests.hrportal.tenant_factories import HelperFactory, TenantFactory


class RetentionPolicyFactory(TenantFactory):
    class Meta:
        model = RetentionPolicy


class DataSubjectRequestFactory(HelperFactory):
    class Meta:
        model = DataSubjectRequest

    make = staticmethod(gdpr_request)


class ProcessingRestrictionFactory(TenantFactory):
    class Meta:
        model = ProcessingRestriction

    employee = factory.SubFactory(EmployeeFactory, company=factory.SelfAttribute("..company"))


class RetainedRecordFactory(TenantFactory):
    """What is kept of an erased employee under a legal duty (bookkeeping), encrypted."""

    class Meta:
        model = RetainedRecord

    employee_ref = factory.Sequence(lambda n: 900000 + n)
    data = '{"salary": 32000}'
    legal_basis = "bogføringsloven § 10"
    delete_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=5 * 365))


class DPAAcceptanceFactory(HelperFactory):
    class Meta:
        model = DPAAcceptance

    make = staticmethod(gdpr_acceptance)


class DPANoticeFactory(TenantFactory):
    class Meta:
        model = DPANotice

    kind = "new_version"
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")


class RequestLinkFactory(HelperFactory):
    class Meta:
        model = RequestLink

    make = staticmethod(gdpr_request_link)
