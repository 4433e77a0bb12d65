"""Queues apart (issue 11): every task goes to the queue meant for its kind of work, has a time limit,
and only tasks that are safe to run twice are acknowledged late."""
from poshan.celery import app

QUEUE_OF = {
    "thr_frs.face_check_run": "frs",
    "thr_frs.faces_erase_unconsented": "default",
    "thr_frs.face_checks_expire_stale": "default",
    "growth.flagging.run_nightly": "flagging",
    "growth.flagging.score_chunk": "flagging",
    "growth.flagging.finish_run": "flagging",
    "growth.flagging.cases_nightly": "flagging",
    "growth.flagging.cases_refresh_district": "flagging",
    "growth.flagging.cases_open_chunk": "flagging",
    "poshan.dashboards.exports.export_run": "exports",
    "poshan.dashboards.exports.exports_expire": "exports",
    "poshan.dashboards.tasks.refresh_month_task": "default",
    "poshan.dashboards.tasks.refresh_chunk_task": "default",
    "poshan.dashboards.tasks.refresh_finish_task": "default",
    "poshan.dashboards.tasks.refresh_current_month_incremental": "default",
    "grievances.tasks.escalate_overdue": "default",
    "grievances.tasks.send_notifications": "default",
    "beneficiaries.tasks.life_stage_nightly": "default",
    "beneficiaries.tasks.life_stage_district": "default",
    "poshan.core.tasks.audit_verify_chain": "default",
    "poshan.core.tasks.audit_seal": "default",
    "poshan.core.tasks.partitions_ensure": "default",
    "anganwadi.tasks.charges_expire_nightly": "default",
    "poshan.supervision.tasks.alerts_evaluate": "default",
    "poshan.supervision.tasks.alerts_district": "default",
}
ACKED_LATE = {
    "thr_frs.face_check_run", "thr_frs.faces_erase_unconsented", "thr_frs.face_checks_expire_stale", "growth.flagging.score_chunk",
    "growth.flagging.finish_run", "growth.flagging.cases_nightly", "growth.flagging.cases_refresh_district",
    "growth.flagging.cases_open_chunk",
    "poshan.dashboards.exports.export_run", "poshan.dashboards.exports.exports_expire",
    "poshan.dashboards.tasks.refresh_month_task", "poshan.dashboards.tasks.refresh_chunk_task",
    "poshan.dashboards.tasks.refresh_finish_task", "grievances.tasks.escalate_overdue",
    "beneficiaries.tasks.life_stage_nightly", "beneficiaries.tasks.life_stage_district",
    "poshan.core.tasks.partitions_ensure", "anganwadi.tasks.charges_expire_nightly",
    "poshan.supervision.tasks.alerts_district",
}


def project_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_known_here():
    assert set(project_tasks()) == set(QUEUE_OF)


def test_each_task_goes_to_its_queue():
    routed = {name: app.amqp.router.route({}, name)["queue"].name for name in project_tasks()}
    assert routed == QUEUE_OF


def test_every_task_has_a_time_limit_with_a_soft_one_first():
    for name, task in project_tasks().items():
        assert task.time_limit and task.soft_time_limit and task.soft_time_limit < task.time_limit, name


def test_only_tasks_safe_to_run_twice_are_acked_late():
    tasks = project_tasks()
    assert {name for name, task in tasks.items() if task.acks_late} == ACKED_LATE
    assert all(tasks[name].reject_on_worker_lost for name in ACKED_LATE)


def test_partitions_are_made_ahead_every_day():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "poshan.core.tasks.partitions_ensure" in tasks
