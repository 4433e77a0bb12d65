"""Celery: the broker, the queues, each task's limits and the beat schedule (defined in code)."""
from celery.schedules import crontab

from .site import AUDIT_SEAL_EVERY, REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT, REDIS_URL, TIME_ZONE, env

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "thr_frs.*": {"queue": "frs"},
    "growth.flagging.*": {"queue": "flagging"},
    "poshan.dashboards.exports.*": {"queue": "exports"},
    "thr_frs.faces_erase_unconsented": {"queue": "default"},  # nightly batch: not in the face matches' way
    "thr_frs.face_checks_expire_stale": {"queue": "default"},
}
CELERY_RESULT_EXPIRES = 3600
# Queues apart: each queue has its own worker service (docker-compose.yml) with --time-limit,
# --soft-time-limit and --prefetch-multiplier=1 for the long-task queues; below, per task, the limits and
# acks_late + reject_on_worker_lost for the tasks that are safe to run twice (a lost worker's task is run
# again; a face check re-run finishes a pending check or asks for a new photo). Not acked late: notifications
# (an SMS twice), the audit walk (may outlast the broker's visibility timeout), the incremental refresh
# (it moves its mark first).
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60  # below CELERY_VISIBILITY_TIMEOUT (see there)
_RERUN_SAFE = {"acks_late": True, "reject_on_worker_lost": True}
CELERY_TASK_ANNOTATIONS = {
    "thr_frs.face_check_run": {**_RERUN_SAFE, "soft_time_limit": 20, "time_limit": 30},
    "thr_frs.faces_erase_unconsented": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "thr_frs.face_checks_expire_stale": {**_RERUN_SAFE, "soft_time_limit": 50, "time_limit": 55},
    "growth.flagging.run_nightly": {"soft_time_limit": 5 * 60, "time_limit": 10 * 60},
    "growth.flagging.score_chunk": {**_RERUN_SAFE, "soft_time_limit": 5 * 60, "time_limit": 10 * 60},
    "growth.flagging.finish_run": {**_RERUN_SAFE, "soft_time_limit": 5 * 60, "time_limit": 10 * 60},
    "growth.flagging.cases_refresh_district": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "growth.flagging.cases_open_chunk": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "poshan.dashboards.exports.export_run": {**_RERUN_SAFE, "soft_time_limit": 25 * 60, "time_limit": 30 * 60},
    "poshan.dashboards.exports.exports_expire": {**_RERUN_SAFE, "soft_time_limit": 5 * 60, "time_limit": 10 * 60},
    "poshan.dashboards.tasks.refresh_month_task": {**_RERUN_SAFE, "soft_time_limit": 25 * 60, "time_limit": 30 * 60},
    "poshan.dashboards.tasks.refresh_chunk_task": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "poshan.dashboards.tasks.refresh_finish_task": {**_RERUN_SAFE, "soft_time_limit": 25 * 60, "time_limit": 30 * 60},
    "poshan.dashboards.tasks.refresh_current_month_incremental": {"soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "grievances.tasks.escalate_overdue": {**_RERUN_SAFE, "soft_time_limit": 5 * 60, "time_limit": 10 * 60},
    "beneficiaries.tasks.life_stage_nightly": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "beneficiaries.tasks.life_stage_district": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
    "grievances.tasks.send_notifications": {"soft_time_limit": 60, "time_limit": 2 * 60},
    "poshan.core.tasks.audit_verify_chain": {"soft_time_limit": 2 * 60 * 60, "time_limit": 2 * 60 * 60 + 300},
    "poshan.core.tasks.partitions_ensure": {**_RERUN_SAFE, "soft_time_limit": 5 * 60, "time_limit": 10 * 60},
    "anganwadi.tasks.charges_expire_nightly": {**_RERUN_SAFE, "soft_time_limit": 10 * 60, "time_limit": 15 * 60},
}
# The cases' nightly step opens missed cases in tasks of this many measurements (growth.tasks.cases_nightly): at
# ≤ 35 ms a case on a busy machine, a chunk takes well under its 10-minute soft limit.
CASES_OPEN_CHUNK = env.int("CASES_OPEN_CHUNK", default=500)
# A task acked late whose worker died comes back only when (a) it has been unacknowledged longer than the
# visibility timeout AND (b) a consumer's periodic scan of the unacked set runs: kombu's Redis transport scans every
# unacked_restore_interval x unacked_restore_throttle seconds (10 x 10 = 100 s by default). So a killed task waits
# visibility timeout + up to one scan period. The visibility timeout must exceed the longest time limit of a task
# acked late (30 min: export_run, refresh_month_task), or a slow task still running would be handed out a second
# time; 35 min leaves 5 min of margin. The audit walk (2 h) is not acked late, so it does not count. In production
# a lost task therefore comes back after 35 min + up to 100 s (1 h + 100 s before this value was chosen).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=35 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    # A publish (a face check queued from a page) gives up instead of hanging on a dead connection. The 2 s above
    # the other clients' timeout leave room for the worker's BRPOP, which Redis answers within 1 s (brpop_timeout).
    "socket_timeout": REDIS_SOCKET_TIMEOUT + 2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT + 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Schedules are defined in code; django-celery-beat mirrors them into its tables.
CELERY_BEAT_SCHEDULE = {
    "audit-verify-nightly": {"task": "poshan.core.tasks.audit_verify_chain", "schedule": crontab(hour=1, minute=30)},
    # Children who turned 6 leave first, so the flagging that follows no longer counts them.
    "beneficiaries-life-stage-nightly": {"task": "beneficiaries.tasks.life_stage_nightly",
                                         "schedule": crontab(hour=22, minute=0)},
    "growth-flagging-nightly": {"task": "growth.flagging.run_nightly", "schedule": crontab(hour=22, minute=30)},
    "thr-faces-erase-nightly": {"task": "thr_frs.faces_erase_unconsented", "schedule": crontab(hour=2, minute=15)},
    "thr-face-checks-expire": {"task": "thr_frs.face_checks_expire_stale", "schedule": crontab(minute="*")},
    "grievances-escalate-overdue": {"task": "grievances.tasks.escalate_overdue", "schedule": crontab(minute="*/15")},
    "dashboards-exports-expire": {"task": "poshan.dashboards.exports.exports_expire",
                                  "schedule": crontab(hour=3, minute=0)},
    "dashboards-incremental": {"task": "poshan.dashboards.tasks.refresh_current_month_incremental",
                               "schedule": crontab(minute="*/30")},
    "partitions-ahead-daily": {"task": "poshan.core.tasks.partitions_ensure", "schedule": crontab(hour=0, minute=45)},
    # Additional charges past their last day lose the permission (access already ended: the scoping checks dates).
    "anganwadi-charges-expire": {"task": "anganwadi.tasks.charges_expire_nightly", "schedule": crontab(hour=0, minute=5)},
}

CELERY_TASK_ANNOTATIONS["poshan.core.tasks.audit_seal"] = {"soft_time_limit": 60, "time_limit": 90}
CELERY_BEAT_SCHEDULE["audit-seal"] = {"task": "poshan.core.tasks.audit_seal", "schedule": AUDIT_SEAL_EVERY,
                                      "options": {"expires": AUDIT_SEAL_EVERY * 2}}  # a stale round is dropped

# The alerts that nudge (poshan/supervision/alerts.py): every district evaluated through the day (idempotent); SMS
# wait for the next run outside quiet hours (rules.QUIET_FROM-QUIET_UNTIL).
CELERY_TASK_ANNOTATIONS["poshan.supervision.tasks.alerts_evaluate"] = {"soft_time_limit": 60, "time_limit": 2 * 60}
CELERY_TASK_ANNOTATIONS["poshan.supervision.tasks.alerts_district"] = {**_RERUN_SAFE, "soft_time_limit": 5 * 60,
                                                                       "time_limit": 10 * 60}
CELERY_BEAT_SCHEDULE["supervision-alerts"] = {"task": "poshan.supervision.tasks.alerts_evaluate",
                                              "schedule": crontab(hour="8-20/2", minute=20)}
