from django.core.management.base import BaseCommand, CommandError

from hrportal.audit.log import chains_to_verify, verify_chain


class Command(BaseCommand):
    help = "Verify every company's audit hash chain; report the first broken link and exit non-zero."

    def handle(self, *args, **options):
        broken = []
        checked = 0
        for company_id in chains_to_verify():
            checked += 1
            bad = verify_chain(company_id)
            if bad is not None:
                broken.append(bad)
                self.stderr.write(
                    f"Chain of company {company_id if company_id is not None else '(none)'} broken at event "
                    f"#{bad.pk}: {bad.reason}"
                )
        if broken:
            raise CommandError(f"{len(broken)} of {checked} audit chains are broken")
        self.stdout.write(self.style.SUCCESS(f"All {checked} audit chains intact"))
