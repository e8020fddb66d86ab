"""Factories of hrportal.billing."""

from hrportal.billing.models import Invoice
from tests.factories import gdpr_invoice
from tests.hrportal.tenant_factories import HelperFactory


class InvoiceFactory(HelperFactory):
    class Meta:
        model = Invoice

    make = staticmethod(gdpr_invoice)
