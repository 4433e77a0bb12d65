import json

from django.core.management.base import BaseCommand

from poshan.core.audit_tree import export_heads


class Command(BaseCommand):
    help = ("Export the audit log's signed tree heads (and the public key) as JSON, for an outside auditor to keep: "
            "poshan.core.merkle checks them, and proofs against them, without the portal.")

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", required=True, help="where to write; '-' for standard output")
        parser.add_argument("--since", type=int, default=0, help="only heads with a serial above this one")

    def handle(self, *args, export: str, since: int, **options):
        document = export_heads(since=since)
        text = json.dumps(document, indent=1)
        if export == "-":
            self.stdout.write(text)
            return
        with open(export, "w", encoding="utf-8") as out:
            out.write(text)
        self.stderr.write(f"{len(document['heads'])} signed heads written to {export}.")
