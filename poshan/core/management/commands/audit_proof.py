import json

from django.core.management.base import BaseCommand, CommandError

from poshan.core.audit_tree import inclusion


class Command(BaseCommand):
    help = ("Print the inclusion proof (RFC 6962 audit path) of one audit event against the latest signed tree head, "
            "as JSON; poshan.core.merkle.verify_proof_document checks it against exported heads.")

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)

    def handle(self, *args, event_id: int, **options):
        try:
            proof = inclusion(event_id)
        except LookupError as error:
            raise CommandError(f"Event {event_id}: {error}.") from error
        self.stdout.write(json.dumps(proof, indent=2))
