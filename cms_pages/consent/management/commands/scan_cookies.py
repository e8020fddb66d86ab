"""Monthly: keep the cookie declaration honest. Idempotent; schedule it (README, "Scheduled jobs")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms_pages.consent import scanner
from cms_pages.consent.state import consent_epoch


class Command(BaseCommand):
    help = (
        "Crawl the site's public pages in headless chromium with all cookie categories accepted, add unknown "
        "cookies to the declaration as unclassified, record the scan and notify editors of differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Site to crawl (default: CONSENT_SCAN_BASE_URL)")
        parser.add_argument("--path", action="append", default=[], help="Extra path to crawl (repeatable)")
        parser.add_argument("--max-pages", type=int, default=500)
        parser.add_argument("--no-notify", action="store_true", help="Record only; email nobody")

    def handle(self, *args, **options):
        base_url = (options["base_url"] or settings.CONSENT_SCAN_BASE_URL).rstrip("/")
        paths = scanner.public_paths(options["max_pages"])
        paths += [p for p in options["path"] if p not in paths]
        if not paths:
            raise CommandError("No live public pages to scan.")
        epoch = consent_epoch()
        self.stdout.write(f"Scanning {len(paths)} page(s) on {base_url} ...")
        started_at = timezone.now()
        try:
            result = scanner.crawl(base_url, paths, epoch)
        except Exception as exc:
            # The browser or the site is down: the declaration is left as it is, but the failed scan is
            # recorded and editors are told, and the exit code tells the scheduler.
            scan = scanner.record_failure(base_url, paths, started_at, exc)
            if not options["no_notify"]:
                self.stdout.write(f"Notified {scanner.notify_editors(scan)} editor(s).")
            raise CommandError(f"Scan failed (recorded as {scan.pk}): {exc}") from exc
        scan = scanner.compare_and_record(base_url, paths, result)
        self.stdout.write(f"Cookies seen: {', '.join(scan.cookies) or '-'}")
        self.stdout.write(f"Third-party hosts: {', '.join(scan.third_party_requests) or '-'}")
        self.stdout.write(f"New (unclassified): {', '.join(scan.new_cookies) or '-'}")
        if scan.declared_not_seen:
            self.stdout.write(f"Declared but not seen: {', '.join(scan.declared_not_seen)}")
        if scan.undeclared_hosts:
            self.stdout.write(
                f"Third-party hosts nothing declared explains: {', '.join(scan.undeclared_hosts)}"
            )
        if scan.error:
            self.stderr.write(scan.error)
        if (scan.has_differences or scan.error) and not options["no_notify"]:
            self.stdout.write(f"Notified {scanner.notify_editors(scan)} editor(s).")
        self.stdout.write(self.style.SUCCESS(f"Scan recorded ({scan.pk})."))
