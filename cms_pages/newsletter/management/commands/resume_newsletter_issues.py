"""Finish newsletter issues whose sending stopped half-way (a worker died): queue their task again.

Safe to run at any time: a subscriber who already has the issue is skipped, even if the first run is still
going."""

from django.core.management.base import BaseCommand

from cms_pages.newsletter import issues


class Command(BaseCommand):
    help = "Queue the send task again for every newsletter issue still marked as sending."

    def handle(self, *args, **options):
        self.stdout.write(f"queued {issues.resume_all()} newsletter issue(s) being sent")
