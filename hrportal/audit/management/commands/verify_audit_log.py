from django.core.management.base import BaseCommand, CommandError

from hrportal.audit.log import verify_chain
from hrportal.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Verify every company's audit hash chain; report the first broken link and exit non-zero."

    def handle(self, *args, **options):
        company_ids = AuditEvent.objects.order_by().values_list("company_id", flat=True).distinct()
        broken = []
        checked = 0
        for company_id in company_ids:
            checked += 1
            bad = verify_chain(company_id)
            if bad is not None:
                broken.append(bad)
                self.stderr.write(
                    f"Chain of company {company_id if company_id is not None else '(none)'} broken at event "
                    f"#{bad.pk} ({bad.action}, {bad.created_at:%Y-%m-%d %H:%M:%S})"
                )
        if broken:
            raise CommandError(f"{len(broken)} of {checked} audit chains are broken")
        self.stdout.write(self.style.SUCCESS(f"All {checked} audit chains intact"))
