from django.core.management.base import BaseCommand

from poshan.core.rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS. "
        "Keep the old key listed after the new one until this finishes; an interrupted "
        "run resumes from its checkpoint; --restart starts over."
    )

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help="ignore the checkpoints of an unfinished run")

    def handle(self, *args, restart: bool = False, **options):
        counts = rotate_all(restart=restart, progress=lambda line: self.stdout.write(line))
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} rows")
        self.stdout.write(self.style.SUCCESS("Key rotation complete."))
