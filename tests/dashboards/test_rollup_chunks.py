"""A queued month is fanned out as chunk tasks with a chord that sums the levels above: the same rows as a
refresh in one process, whatever the chunk size, twice over, and a failed chunk marks the run failed."""
import pytest

from poshan.dashboards.models import AreaMonth, NutritionMonth, RollupRun
from poshan.dashboards.rollups import refresh as refresh_module
from poshan.dashboards.tasks import refresh_chunk_task, refresh_month_task
from tests.dashboards.test_rollups import MONTH, TODAY, frozen, month  # noqa: F401  (fixtures)


def _rows():
    area = sorted(AreaMonth.objects.filter(month=MONTH).values_list(
        "level", "location", "parent", "awcs", "beneficiaries", "attendance_total", "aadhaar_seeded", "pregnant"))
    nutrition = sorted(NutritionMonth.objects.filter(month=MONTH).values_list(
        "level", "location", "sex", "band", "children", "weighed", "stunting_n", "stunting_d", "underweight_n"))
    return area, nutrition


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_fanned_out_month_equals_one_process(month, monkeypatch, chunk):
    sequential = _rows()  # the `month` fixture counted the month in one process
    AreaMonth.objects.all().delete()
    NutritionMonth.objects.all().delete()
    monkeypatch.setattr(refresh_module, "AWC_CHUNK", chunk)
    run = RollupRun.objects.create(month=MONTH, trigger="admin")
    result = refresh_month_task.delay(run.pk).get()
    run.refresh_from_db()
    assert result["chunks"] >= 1 and (chunk > 1 or result["chunks"] == run.awcs_total)
    assert run.status == RollupRun.Status.DONE and run.awcs_done == run.awcs_total > 0 and run.finished_at
    assert _rows() == sequential
    # Run again (a lost worker's chunk comes back): the same rows, progress not past the total.
    first, last = refresh_module.plan_chunks(run, chunk=chunk)[0]
    refresh_chunk_task.delay(run_id=run.pk, first_id=first, last_id=last, today=TODAY.isoformat()).get()
    run.refresh_from_db()
    assert run.awcs_done == run.awcs_total
    assert _rows() == sequential


def test_a_failed_chunk_marks_the_run_failed(month, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(refresh_module, "refresh_awcs", broken)
    run = RollupRun.objects.create(month=MONTH, trigger="admin")
    with pytest.raises(RuntimeError):
        refresh_month_task.delay(run.pk)
    run.refresh_from_db()
    assert run.status == RollupRun.Status.FAILED and "database went away" in run.error


def test_the_awc_rows_written_as_tuples_name_every_column_of_the_rollup_tables():
    """refresh_awcs inserts tuples in AREA_COLUMNS / NUTRITION_COLUMNS order: a column added to a rollup table
    must be added there too (else its rows would miss it, or the INSERT fail)."""
    for model, columns in ((AreaMonth, refresh_module.AREA_COLUMNS), (NutritionMonth, refresh_module.NUTRITION_COLUMNS)):
        fields = {f.name for f in model._meta.concrete_fields if not f.primary_key}
        assert fields == set(columns) and len(columns) == len(set(columns))



def test_a_chunk_that_fails_half_way_keeps_the_rows_it_was_replacing(month, monkeypatch):
    """The AWC rows are replaced in one transaction: a chunk that fails after deleting its month's AWC rows (here
    while writing the new ones) leaves the figures shown before, not a gap on every dashboard above them."""
    before = _rows()
    awcs = list(refresh_module._run_awcs(RollupRun(month=MONTH, trigger="admin")))

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(refresh_module, "_insert", broken)
    with pytest.raises(RuntimeError, match="went away"):
        refresh_module.refresh_awcs(MONTH, awcs, today=TODAY)
    assert _rows() == before and len(before[0]) > len(awcs) > 0
