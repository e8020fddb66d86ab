"""Daily job: tell company admins what the data processing agreement now asks of them.

Most changes tell admins at once, when an editor publishes them (hrportal.privacy.signals). One does not
happen at a publish: a planned sub-processor becomes part of the agreement on its start date, with nobody
publishing anything that day. This run is what e-mails the re-acceptance then; it is idempotent (one
`DPANotice` per company and change), so running it again, or after a publish already told them, sends
nothing twice.
"""

from django.core.management.base import BaseCommand

from hrportal.privacy.dpa import notify_admins


class Command(BaseCommand):
    help = "E-mail company admins who must accept the data processing agreement again (once per change)."

    def handle(self, *args, **options):
        sent = notify_admins()
        self.stdout.write(f"DPA notices sent: {sent}")
