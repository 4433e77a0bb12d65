"""The audit log without a global lock: events inserted freely, sealed into RFC 6962 trees per state with signed heads.

Proofs are checked with the auditor's pure module (poshan.core.merkle) against heads exported to a file, as an
outsider would; tampering straight in the database (the guard triggers disabled, as a superuser could) is found.
"""
from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from poshan.core import merkle
from poshan.core.audit import audit_record
from poshan.core.audit_digest import event_digest
from poshan.core.audit_tree import NATIONAL_TREE, audit_verify, seal_all, seal_once
from poshan.core.models import AuditEvent, AuditLeaf, AuditSealState, AuditSignedHead, AuditTree
from tests.sql import sent_statements

GUARDED = ["core_auditevent", "core_auditleaf", "core_auditnode", "core_auditsignedhead"]
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")


# ---- the pure module against the RFC's definitions ------------------------------------------------------------------
def _stored(event: AuditEvent) -> AuditEvent:
    """The event as the log holds it, with its id: on PostgreSQL inside a transaction audit_record's INSERT waits to
    go with the next statement (poshan.core.pgsession), so the event it returns has no id yet; this read sends it."""
    return AuditEvent.objects.get(hash=event.hash)


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 2.1, written straight from its definition."""
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split(len(leaves))
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(n)]


def _subtree(leaves):
    return lambda start, end: _mth(leaves[start:end])


def test_leaf_and_node_hashes_are_the_rfcs():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert merkle.root([]) == hashlib.sha256(b"").digest()


def test_frontier_roots_and_stored_subtrees_match_the_definition():
    for n in range(1, 70):
        leaves = _leaves(n)
        frontier, stored = merkle.Frontier(), {}
        for leaf in leaves:
            for level, index, value in frontier.append(leaf):
                stored[level, index] = value
        assert frontier.root() == _mth(leaves), n
        for (level, index), value in stored.items():
            assert value == _mth(leaves[index << level:(index + 1) << level])
        from_store = merkle.subtree_from(lambda level, index: leaves[index] if level == 0 else stored[level, index])
        assert from_store(0, n) == _mth(leaves)


def test_inclusion_proofs_verify_and_fail_when_anything_differs():
    for n in range(1, 40):
        leaves = _leaves(n)
        root = _mth(leaves)
        for m in range(n):
            path = merkle.inclusion_proof(m, n, _subtree(leaves))
            assert merkle.verify_inclusion(leaves[m], m, n, path, root), (m, n)
            assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), m, n, path, root)
            if n > 1:
                assert not merkle.verify_inclusion(leaves[m], (m + 1) % n, n, path, root)


def test_consistency_proofs_verify_and_fail_for_a_rewritten_past():
    for n in range(1, 40):
        leaves = _leaves(n)
        for m in range(1, n + 1):
            proof = merkle.consistency_proof(m, n, _subtree(leaves))
            assert merkle.verify_consistency(m, n, _mth(leaves[:m]), _mth(leaves), proof), (m, n)
            if m < n:
                rewritten = [merkle.leaf_hash(b"rewritten")] + leaves[1:]
                assert not merkle.verify_consistency(m, n, _mth(leaves[:m]), _mth(rewritten), proof)


# ---- the portal's log ---------------------------------------------------------------------------------------------
def _unguard():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser bypassing triggers
        else:
            for table in GUARDED:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


def _reguard():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            for table in GUARDED:
                cursor.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                               f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END")


class tampering:
    def __enter__(self):
        _unguard()

    def __exit__(self, *exc):
        _reguard()


@pytest.fixture
def sealed(world, users):
    """Events in both states and with no state, all sealed; returns them by name."""
    made = {}
    for n in range(1, 7):
        awc = getattr(world, f"awc{n}")
        for k in range(3):
            made[f"awc{n}-{k}"] = _stored(audit_record(actor=users.aww, action=AuditEvent.Action.VIEW,
                                                       object_type="beneficiaries.beneficiary", object_id=f"{n}-{k}",
                                                       awc_id=awc.pk))
    for k in range(4):
        made[f"none-{k}"] = _stored(audit_record(actor=users.admin, action=AuditEvent.Action.LOGIN,
                                                 object_type="core.user", object_id=str(users.admin.pk)))
    seal_all()
    return made


def _findings() -> list[tuple[int, str]]:
    checked, breaks = audit_verify()
    assert checked == AuditEvent.objects.count()
    return [(b.event_id, b.reason) for b in breaks]


def test_sealing_covers_every_committed_event_in_a_tree_per_state(sealed, world):
    assert AuditLeaf.objects.count() == AuditEvent.objects.count()
    tree_of = dict(AuditLeaf.objects.values_list("event_id", "tree"))
    assert tree_of[sealed["awc1-0"].pk] == tree_of[sealed["awc5-2"].pk] == world.state1.pk
    assert tree_of[sealed["awc6-1"].pk] == world.state2.pk
    assert tree_of[sealed["none-3"].pk] == NATIONAL_TREE
    head = AuditSignedHead.objects.order_by("-serial").first()
    sizes = {tree: size for tree, size, _ in head.trees}
    assert sizes == {tree: AuditLeaf.objects.filter(tree=tree).count() for tree in sizes}
    assert merkle.verify_signed_head(head.as_dict(), head.public_key)
    assert _findings() == []
    assert seal_once().sealed == []  # nothing left; no new head for nothing


def test_events_are_written_without_reading_the_log_or_taking_a_lock(world, users, django_assert_num_queries):
    _stored(audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x", object_id="0"))  # prepared
    postgres = connection.vendor == "postgresql"
    # The INSERT, nothing else: on SQLite at once; on PostgreSQL in a transaction, with the next statement sent.
    with django_assert_num_queries(0 if postgres else 1):
        event = audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x", object_id="1",
                             awc_id=world.awc1.pk)
    assert event.prev_hash == "" and event.hash == event_digest("", event)
    with CaptureQueriesContext(connection) as seen:
        assert _stored(event).object_id == "1"
    sent = [sql.split(" ", 1)[0] for sql in sent_statements(seen.captured_queries)]
    assert sent == (["EXECUTE", "SELECT"] if postgres else ["SELECT"])


def test_each_database_session_prepares_the_insert_once_and_events_verify_either_way(transactional_db, world, users,
                                                                                     settings):
    """PostgreSQL: the INSERT is prepared once per session and executed by name; a new session prepares it again.
    With DB_PREPARED_STATEMENTS off (and on SQLite) it is sent whole. Events written each way seal and verify alike."""
    postgres = connection.vendor == "postgresql"
    made = []

    def record(n: int) -> list[str]:
        with CaptureQueriesContext(connection) as seen:
            made.append(audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x",
                                     object_id=str(n), awc_id=world.awc1.pk, fields=["b", "a"]))
            AuditEvent.objects.exists()  # a statement the event may wait for (in a transaction, on PostgreSQL)
        return [sql.split(" ", 1)[0] for sql in sent_statements(seen.captured_queries)][:-1]

    record(0)
    assert record(1) == (["EXECUTE"] if postgres else ["INSERT"])
    connection.close()  # a new session (SQLite's in-memory test database keeps its one connection)
    assert record(2) == (["PREPARE", "EXECUTE"] if postgres else ["INSERT"])
    assert record(3) == (["EXECUTE"] if postgres else ["INSERT"])
    settings.DB_PREPARED_STATEMENTS = False
    assert record(4) == ["INSERT"]
    stored = {e.hash: e for e in AuditEvent.objects.filter(hash__in=[e.hash for e in made])}
    for event in made:
        assert (stored[event.hash].fields, stored[event.hash].at) == (["a", "b"], event.at)
        assert event_digest("", stored[event.hash]) == event.hash
    seal_all()
    assert set(AuditLeaf.objects.values_list("event_id", flat=True)) >= {e.pk for e in stored.values()}
    assert _findings() == []


def test_an_outsider_checks_an_inclusion_proof_against_exported_heads(sealed, tmp_path):
    exported = tmp_path / "heads.json"
    call_command("audit_heads", "--export", str(exported), stderr=io.StringIO())
    kept = json.loads(exported.read_text())
    for name in ("awc2-1", "awc6-0", "none-2"):
        out = io.StringIO()
        call_command("audit_proof", str(sealed[name].pk), stdout=out)
        proof = json.loads(out.getvalue())
        assert merkle.verify_proof_document(proof, kept["heads"], kept["public_key"]), name
        forged = {**proof, "event_hash": "0" * 64}
        assert not merkle.verify_proof_document(forged, kept["heads"], kept["public_key"])
    other_key = merkle_key_of_another_portal()
    assert not merkle.verify_proof_document(proof, kept["heads"], other_key)


def merkle_key_of_another_portal() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def test_an_unsealed_event_has_no_proof_yet(world, users):
    event = _stored(audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x", object_id="1"))
    with pytest.raises(CommandError, match="not sealed yet"):
        call_command("audit_proof", str(event.pk))


def test_consistency_proof_between_two_signed_heads(sealed, world, users, tmp_path):
    old_head = AuditSignedHead.objects.order_by("-serial").first().as_dict()
    for k in range(5):
        audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x", object_id=str(k),
                     awc_id=world.awc3.pk)
    seal_all()
    new_head = AuditSignedHead.objects.order_by("-serial").first().as_dict()
    tree = world.state1.pk
    (old_size, old_root), (new_size, new_root) = merkle.tree_of(old_head, tree), merkle.tree_of(new_head, tree)
    assert new_size == old_size + 5
    out = io.StringIO()
    call_command("audit_consistency", str(old_size), str(new_size), "--tree", str(tree), stdout=out)
    proof = json.loads(out.getvalue())
    assert merkle.verify_consistency(old_size, new_size, old_root, new_root, [bytes.fromhex(p) for p in proof["proof"]])
    assert not merkle.verify_consistency(old_size, new_size, merkle.leaf_hash(b"other past"), new_root,
                                         [bytes.fromhex(p) for p in proof["proof"]])
    with pytest.raises(CommandError, match="sizes"):
        call_command("audit_consistency", str(new_size + 1), str(new_size + 2), "--tree", str(tree))


def test_a_tree_stores_subtrees_of_sixteen_leaves_and_up_and_every_proof_still_verifies(world, users):
    """Inner nodes below level 4 are rebuilt from their leaves (8 at most) when a proof or the sealer's frontier needs
    them: a stored node per event would double the rows the sealer writes. Rounds end inside and on the edges of
    stored subtrees; every signed root, inclusion proof and consistency proof is checked against the definition."""
    from poshan.core.audit_tree import STORED_NODE_LEVEL, consistency, inclusion
    from poshan.core.models import AuditNode

    tree = world.state1.pk
    seal_all()
    heads, made = [], []
    for round_size in (5, 11, 16, 21, 1, 30):
        for _ in range(round_size):
            made.append(_stored(audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x",
                                             object_id=str(len(made)), awc_id=world.awc1.pk)))
        seal_all()
        heads.append(AuditSignedHead.objects.order_by("-serial").first().as_dict())
    leaves = [bytes.fromhex(h) for h in AuditLeaf.objects.filter(tree=tree).order_by("index")
              .values_list("leaf_hash", flat=True)]
    size = len(leaves)
    assert size >= len(made) == 84
    stored = list(AuditNode.objects.filter(tree=tree).values_list("level", "index", "hash"))
    assert STORED_NODE_LEVEL == 4
    assert {level for level, _, _ in stored} == {4, 5, 6}
    assert len(stored) == sum(size >> level for level in range(4, size.bit_length()))
    for level, index, value in stored:
        assert bytes.fromhex(value) == _mth(leaves[index << level:(index + 1) << level])
    for head in heads:
        head_size, root = merkle.tree_of(head, tree)
        assert root == _mth(leaves[:head_size])
    for event in made:
        proof = inclusion(event.pk)
        assert merkle.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), proof["leaf_index"], proof["tree_size"],
                                       [bytes.fromhex(p) for p in proof["path"]], bytes.fromhex(proof["root"]))
    sizes = [merkle.tree_of(head, tree)[0] for head in heads]
    for old_size in [1, 3, *sizes]:
        for new_size in sizes:
            if old_size <= new_size:
                proof = consistency(old_size, new_size, tree=tree)
                assert bytes.fromhex(proof["old_root"]) == _mth(leaves[:old_size])
                assert merkle.verify_consistency(old_size, new_size, bytes.fromhex(proof["old_root"]),
                                                 bytes.fromhex(proof["new_root"]),
                                                 [bytes.fromhex(p) for p in proof["proof"]])
    assert _findings() == []


def test_verify_finds_an_edited_sealed_event(sealed):
    victim = sealed["awc3-1"]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(object_id="999999")
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify", stderr=io.StringIO())
    assert _findings() == [(victim.pk, "content changed")]


def test_verify_finds_an_edit_that_recomputed_the_events_hash(sealed):
    """Even with the HMAC key, rewriting an event shows: its leaf, signed into a head, no longer matches."""
    victim = AuditEvent.objects.get(pk=sealed["awc4-0"].pk)
    victim.object_id = "999999"
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).update(object_id="999999", hash=event_digest(victim.prev_hash, victim))
    assert _findings() == [(victim.pk, "sealed event replaced or moved (its leaf does not match)")]


def test_verify_finds_a_deleted_sealed_event(sealed):
    victim = sealed["awc6-2"]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).delete()
    assert _findings() == [(victim.pk, "sealed event missing from the log (deleted)")]


def test_verify_finds_a_deleted_event_and_leaf(sealed, world):
    victim = sealed["awc1-1"]
    with tampering():
        AuditEvent.objects.filter(pk=victim.pk).delete()
        AuditLeaf.objects.filter(event_id=victim.pk).delete()
    findings = [reason for _, reason in _findings()]
    assert any("leaf" in reason and "missing" in reason for reason in findings), findings
    assert any("a signed head names" in reason for reason in findings), findings


def test_verify_finds_reordered_events(sealed):
    first, second = (AuditEvent.objects.get(pk=sealed[name].pk) for name in ("awc2-0", "awc2-1"))
    columns = ["at", "object_id", "hash"]
    with tampering():  # the two rows swap contents (and their valid hashes): each still verifies on its own
        for target, source in ((first, second), (second, first)):
            AuditEvent.objects.filter(pk=target.pk).update(**{c: getattr(source, c) for c in columns})
    assert sorted(_findings()) == sorted([(first.pk, "sealed event replaced or moved (its leaf does not match)"),
                                          (second.pk, "sealed event replaced or moved (its leaf does not match)")])


def test_verify_finds_leaves_reordered_in_the_tree(sealed, world):
    a, b = (AuditLeaf.objects.get(event_id=sealed[name].pk) for name in ("awc1-0", "awc1-2"))
    with tampering():
        AuditLeaf.objects.filter(pk=a.pk).update(index=-1)
        AuditLeaf.objects.filter(pk=b.pk).update(index=a.index)
        AuditLeaf.objects.filter(pk=a.pk).update(index=b.index)
    size = AuditLeaf.objects.filter(tree=world.state1.pk).count()  # one head was signed, at this size
    assert [r for _, r in _findings()] == [f"tree {world.state1.pk}: the first {size} leaves do not give the "
                                           f"signed root (leaves edited, removed, inserted or reordered)"]


def test_verify_finds_an_event_inserted_among_sealed_ones(sealed, users, settings):
    settings.AUDIT_SEAL_LATE_SECONDS = 0
    gap_after = _stored(audit_record(actor=users.admin, action=AuditEvent.Action.LOGIN, object_type="core.user",
                                     object_id="1"))
    later = AuditEvent(id=gap_after.pk + 10, actor=users.admin, action="login", object_type="core.user",
                       object_id="2", prev_hash="", at=timezone.now() - timedelta(minutes=2))
    later.hash = event_digest("", later)
    later.save(force_insert=True)
    time.sleep(0.01)
    seal_all()
    assert AuditSealState.objects.get().sealed_through_id == later.pk
    assert _findings() == []
    forged = AuditEvent(id=gap_after.pk + 5, actor=users.admin, action="delete", object_type="core.user",
                        object_id="3", prev_hash="", at=gap_after.at)
    forged.hash = event_digest("", forged)  # even with the HMAC key
    forged.save(force_insert=True)
    assert _findings() == [(forged.pk, "not in any tree though older than the sealed part of the log (inserted after "
                                       "sealing)")]


def test_verify_finds_a_forged_or_edited_head(sealed):
    head = AuditSignedHead.objects.order_by("-serial").first()
    trees = [[t, s + 1 if i == 0 else s, r] for i, (t, s, r) in enumerate(head.trees)]
    with tampering():
        AuditSignedHead.objects.filter(pk=head.pk).update(trees=trees)
    assert any(f"signed head {head.serial}" in reason for _, reason in _findings())


def test_the_sealed_record_refuses_updates(sealed):
    leaf = AuditLeaf.objects.first()
    with pytest.raises(Exception), transaction.atomic():
        AuditLeaf.objects.filter(pk=leaf.pk).update(index=leaf.index + 100)
    assert AuditLeaf.objects.get(pk=leaf.pk).index == leaf.index


def test_the_sealer_and_verify_run_as_tasks(sealed, world, users):
    from poshan.core.tasks import audit_seal, audit_verify_chain

    audit_record(actor=users.aww, action=AuditEvent.Action.VIEW, object_type="x", object_id="t", awc_id=world.awc1.pk)
    assert audit_seal.apply().get()["sealed"] == 1
    assert audit_verify_chain.apply().get() == {"checked": AuditEvent.objects.count(), "breaks": []}


def test_production_refuses_the_development_signing_key():
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "poshan.settings.production", "DJANGO_SECRET_KEY": "x" * 60,
           "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "BLIND_INDEX_KEY": "b", "AUDIT_HMAC_KEY": "a",
           "DJANGO_ALLOWED_HOSTS": "poshan.example", "SMS_BACKEND": "poshan.core.sms.DisabledBackend"}
    env.pop("AUDIT_SIGNING_KEY", None)
    code = "import django; django.setup()"
    missing = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "AUDIT_SIGNING_KEY" in missing.stderr
    dev = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**env, "AUDIT_SIGNING_KEY": "6465762d6f6e6c792d61756469742d7369676e696e672d6b65792d2d2d2d2d2d"})
    assert dev.returncode != 0 and "AUDIT_SIGNING_KEY" in dev.stderr
    good = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**env, "AUDIT_SIGNING_KEY": "ab" * 32})
    assert good.returncode == 0, good.stderr


# ---- PostgreSQL: writers never wait on each other; ids committing out of order are still sealed ----------------------
def _in_thread(target, *args):
    errors = []

    def run():
        try:
            target(*args)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_does_not_wait_for_another_writers_open_transaction(world, users):
    seal_all()  # the fixtures' own events
    holding, release = threading.Event(), threading.Event()

    def slow_writer():
        close_old_connections()
        with transaction.atomic():
            audit_record(actor=users.aww, action="view", object_type="x", object_id="slow", awc_id=world.awc1.pk)
            AuditEvent.objects.exists()  # the event inserted now (it waits for a statement), committed later
            holding.set()
            release.wait(10)

    thread, errors = _in_thread(slow_writer)
    try:
        assert holding.wait(10)
        started = time.monotonic()
        fast_done = threading.Event()

        def fast_writer():
            close_old_connections()
            with transaction.atomic():
                audit_record(actor=users.aww, action="view", object_type="x", object_id="fast", awc_id=world.awc2.pk)
            fast_done.set()

        fast, fast_errors = _in_thread(fast_writer)
        assert fast_done.wait(5), "a writer waited on another writer's open transaction"
        assert time.monotonic() - started < 2
        fast.join()
        assert not fast_errors
        assert seal_once().sealed == [AuditEvent.objects.get(object_id="fast").pk]  # the slow one is not visible yet
    finally:
        release.set()
        thread.join()
    assert not errors
    slow = AuditEvent.objects.get(object_id="slow")
    assert slow.pk < AuditEvent.objects.get(object_id="fast").pk  # its id is lower, and it commits later
    assert seal_once().sealed == [slow.pk]
    assert _findings() == []


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_writers_are_all_sealed(world, users):
    writers, each = 8, 25
    awcs = [world.awc1, world.awc4, world.awc6, None]

    def write(n):
        close_old_connections()
        for k in range(each):
            awc = awcs[(n + k) % len(awcs)]
            with transaction.atomic():
                audit_record(actor=users.aww, action="view", object_type="x", object_id=f"{n}-{k}",
                             awc_id=awc.pk if awc else None)

    threads = [_in_thread(write, n) for n in range(writers)]
    sealer_rounds = []
    while any(t.is_alive() for t, _ in threads):
        sealer_rounds.append(seal_once())  # sealing runs while they write
        time.sleep(0.05)
    for thread, errors in threads:
        thread.join()
        assert not errors
    seal_all()
    written = set(AuditEvent.objects.filter(object_type="x").values_list("id", flat=True))
    assert len(written) == writers * each
    assert written <= set(AuditLeaf.objects.values_list("event_id", flat=True))
    sizes = dict(AuditTree.objects.values_list("tree", "size"))
    assert sum(sizes.values()) == AuditEvent.objects.count()
    assert _findings() == []


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_transaction_open_longer_than_the_grace_period_is_still_sealed(world, users, settings, monkeypatch):
    """The sealer's cursor stays behind the oldest open transaction, so an event committed late is not passed over."""
    from poshan.core import audit_tree

    settings.AUDIT_SEAL_LATE_SECONDS = 0
    monkeypatch.setattr(audit_tree, "CLOCK_SKEW", timedelta(0))
    seal_all()
    holding, release = threading.Event(), threading.Event()
    written = []

    def long_import():
        close_old_connections()
        with transaction.atomic():
            AuditEvent.objects.exists()  # the transaction has begun
            time.sleep(0.05)
            written.append(_stored(audit_record(actor=users.admin, action="create", object_type="x",
                                                object_id="long", awc_id=world.awc1.pk)).pk)
            holding.set()
            release.wait(10)

    thread, errors = _in_thread(long_import)
    try:
        assert holding.wait(10)
        time.sleep(0.05)
        after = _stored(audit_record(actor=users.aww, action="view", object_type="x", object_id="after",
                                     awc_id=world.awc2.pk))
        assert seal_once().sealed == [after.pk]
        assert AuditSealState.objects.get().sealed_through_id < written[0]  # not past the open transaction's event
    finally:
        release.set()
        thread.join()
    assert not errors
    long = AuditEvent.objects.get(object_id="long")
    assert seal_once().sealed == [long.pk]
    assert _findings() == []

