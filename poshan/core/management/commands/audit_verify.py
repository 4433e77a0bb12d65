from django.core.management.base import BaseCommand, CommandError

from poshan.core.audit_tree import audit_verify


class Command(BaseCommand):
    help = ("Verify the audit log: every event's hash, every sealed event against its tree, every tree against the "
            "signed heads; exits non-zero if an event was edited, deleted, inserted or reordered.")

    def handle(self, *args, **options):
        checked, breaks = audit_verify()
        for item in breaks[:50]:
            self.stderr.write(f"event {item.event_id}: {item.reason}" if item.event_id else item.reason)
        if breaks:
            raise CommandError(f"Audit log broken at {len(breaks)} place(s) among {checked} events.")
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} events verified."))
