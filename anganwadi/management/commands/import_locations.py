from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anganwadi.services import CSV_FLAGS, CSV_REQUIRED, locations_import_csv


class Command(BaseCommand):
    help = (
        "Import a location hierarchy from CSV, one AWC per row, columns: "
        + ", ".join(CSV_REQUIRED)
        + " and optionally "
        + ", ".join(CSV_FLAGS)
        + " (yes/no). All or nothing: any bad row is reported with its line number and nothing is imported. "
        "Re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args, csv_path: Path, **options):
        try:
            text = csv_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {csv_path}: {exc}") from exc
        report = locations_import_csv(actor=None, text=text)
        if report.errors:
            for line_no, message in report.errors:
                self.stderr.write(f"line {line_no}: {message}")
            raise CommandError(f"{len(report.errors)} bad row(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(
            f"{report.rows} rows read: {report.created} locations created, {report.updated} updated."
        ))
