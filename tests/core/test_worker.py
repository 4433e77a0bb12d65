"""A real Celery worker on Redis runs a task against the real database."""
import pytest

from anganwadi.services import location_upsert
from poshan.core.models import AuditEvent
from poshan.core.tasks import audit_verify_chain

TASK_TIMEOUT = 60


@pytest.mark.worker
def test_worker_verifies_the_audit_chain(real_worker, db):
    location_upsert(actor=None, level="state", code=77, name="Worker State", parent=None)
    result = audit_verify_chain.apply_async()
    assert result.get(timeout=TASK_TIMEOUT) == {"checked": AuditEvent.objects.count(), "breaks": []}
