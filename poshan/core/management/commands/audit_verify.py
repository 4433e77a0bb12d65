from django.core.management.base import BaseCommand, CommandError

from poshan.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's HMAC chain; exits non-zero if any event was edited or removed."

    def handle(self, *args, **options):
        checked, breaks = audit_verify()
        for item in breaks[:50]:
            self.stderr.write(f"event {item.event_id}: {item.reason}")
        if breaks:
            raise CommandError(f"Audit chain broken at {len(breaks)} place(s) among {checked} events.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
