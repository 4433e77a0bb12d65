from datetime import date

from django.core.management.base import BaseCommand, CommandError

from growth.models import FlaggingRun
from growth.tasks import run_nightly

COMMAND_TIMEOUT = 600  # seconds to wait for the run to be planned (with Redis, a worker must be up)


class Command(BaseCommand):
    help = (
        "Run the nightly growth flagging job now (Celery beat runs it every night). With Redis it is queued "
        "on the 'flagging' queue and this prints the run id; without, it runs here and prints the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to flag for (YYYY-MM-DD; default today)")
        parser.add_argument("--chunk-size", type=int, help="children per chunk task")

    def handle(self, *args, date=None, chunk_size=None, **options):
        if date:
            try:
                _parse(date)
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        run_id = run_nightly.delay(date, chunk_size).get(timeout=COMMAND_TIMEOUT)
        run = FlaggingRun.objects.get(pk=run_id)
        self.stdout.write(
            f"Run {run.pk} for {run.run_date}: {run.get_status_display()}, "
            f"{run.chunks_done}/{run.chunks_total} chunks, "
            f"{run.children} children, {run.statuses_changed} statuses changed, "
            f"{run.followups_created} new follow-ups."
        )


def _parse(text: str) -> date:
    return date.fromisoformat(text)
