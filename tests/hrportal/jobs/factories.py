"""Factories of hrportal.jobs."""

from hrportal.jobs.models import Job
from tests.factories import make_job
from tests.hrportal.tenant_factories import HelperFactory


class JobFactory(HelperFactory):
    class Meta:
        model = Job

    make = staticmethod(make_job)
