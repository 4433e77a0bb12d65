import json

from django.core.management.base import BaseCommand, CommandError

from poshan.core.audit_tree import NATIONAL_TREE, consistency


class Command(BaseCommand):
    help = ("Print the consistency proof (RFC 6962) that the audit tree of NEW_SIZE events extends the one of OLD_SIZE "
            "without rewriting it, as JSON; --tree names a state's tree by the state's id (0: events with no state).")

    def add_arguments(self, parser):
        parser.add_argument("old_size", type=int)
        parser.add_argument("new_size", type=int)
        parser.add_argument("--tree", type=int, default=NATIONAL_TREE)

    def handle(self, *args, old_size: int, new_size: int, tree: int, **options):
        try:
            proof = consistency(old_size, new_size, tree=tree)
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(proof, indent=2))
