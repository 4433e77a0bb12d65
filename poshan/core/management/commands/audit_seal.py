import time

from django.core.management.base import BaseCommand

from poshan.core.audit_tree import seal_all, seal_once


class Command(BaseCommand):
    help = ("Seal committed audit events into their Merkle trees and sign a tree head (what the beat task does); "
            "with --every SECONDS, keep doing it (a long-running sealer instead of beat).")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="seconds between rounds; 0 seals once and exits")

    def handle(self, *args, every: float, **options):
        if not every:
            sealed = sum(len(r.sealed) for r in seal_all())
            self.stdout.write(f"{sealed} events sealed.")
            return
        while True:
            started = time.monotonic()
            result = seal_once()
            if result.sealed:
                self.stdout.write(f"{len(result.sealed)} events sealed, head {result.head.serial}.")
            time.sleep(max(0.0, every - (time.monotonic() - started)))
