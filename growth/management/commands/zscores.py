import io
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from growth.zscore_csv import score_csv


class Command(BaseCommand):
    help = (
        "Score a CSV of children with the WHO Child Growth Standards. IN has columns sex (1/2), age_days, "
        "weight_kg, lenhei_cm, measure (l/h/empty), oedema (y/n/empty), muac_cm; OUT repeats them and adds "
        "clenhei, waz, haz, whz, baz, acz, fwei, flen, fwfl, fbmi, fac, c9mo. Unreadable rows are reported "
        "with their line numbers and left unscored; the rest are scored."
    )

    def add_arguments(self, parser):
        parser.add_argument("in_csv", type=Path)
        parser.add_argument("out_csv", type=Path)

    def handle(self, *args, in_csv: Path, out_csv: Path, **options):
        if not in_csv.is_file():
            raise CommandError(f"{in_csv}: no such file")
        if out_csv.resolve() == in_csv.resolve() or (out_csv.exists() and os.path.samefile(in_csv, out_csv)):
            raise CommandError(f"{out_csv} is the same file as the input: name another file for OUT.")
        try:
            data = in_csv.read_bytes()
            text = data.decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"{in_csv}: cannot read ({error.strerror})") from None
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise CommandError(f"{in_csv}, line {line}: not UTF-8 text (byte 0x{data[error.start]:02x}); "
                               "save the file as UTF-8 and run again. Nothing was written.") from None
        try:
            errors = score_csv(io.StringIO(text, newline=""), out_csv)
        except OSError as error:
            raise CommandError(f"{out_csv}: cannot write ({error.strerror}). Nothing was scored into it.") from None
        for line_no, message in errors:
            self.stderr.write(f"line {line_no}: {message}")
        if errors and not out_csv.exists():
            raise CommandError("Nothing was written.")
        self.stdout.write(f"Wrote {out_csv} ({len(errors)} row(s) could not be read).")
