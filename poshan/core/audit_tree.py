"""The audit log sealed into Merkle trees (RFC 6962) with signed tree heads: the sealer, proofs and verification.

Writers (poshan.core.audit.audit_record) insert events freely: each event carries its own hash, an HMAC over its
content, and reads no other row and takes no lock. One sealer (`seal_once`, run by beat every AUDIT_SEAL_EVERY
seconds; the only holder of its advisory lock on PostgreSQL, of a lease on the state row on SQLite) takes the
committed events not yet sealed, in id order, appends each to its state's tree (tree 0: events with no state) as the
leaf SHA-256(0x00 || "<id>:<hash>"), stores every complete subtree of 16 leaves or more it finishes (a smaller one is
rebuilt from its leaves), and signs one head naming every tree's size and root with a national root over them
(poshan.core.merkle has the hashing and the auditor's checks).

Ids commit out of order (a transaction that took id 10 may commit after the one that took id 11), so the tree's order
is the order of sealing, never assumed to be the order of ids: each round seals every visible unsealed event above
the cursor, whatever its id. The cursor (`AuditSealState.sealed_through_id`, below which every event is sealed) moves
only over events older than every transaction still open (PostgreSQL) or than AUDIT_SEAL_LATE_SECONDS (SQLite): by
then every id below it has committed or rolled back. A time bound rather than pg_snapshot_xmin arithmetic, because a
sequence value is taken before its transaction has an xid (which makes that racy) and because it works the same on
SQLite and on a Citus shard (see `_horizon`). An event found below the cursor without a leaf can only have been
inserted behind the sealer's back: `audit_verify` says so.
"""
from __future__ import annotations

import os
import socket
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from . import merkle
from .audit_digest import event_digest
from .models import AuditEvent, AuditLeaf, AuditNode, AuditSealState, AuditSignedHead, AuditTree

NATIONAL_TREE = 0  # events with no state (logins, national masters)
_SEALER_LOCK_ID = 7_100_002  # pg_try_advisory_lock key held by the one sealer (session-level, while it seals)
SEAL_BATCH = 20_000
# Inner nodes are stored from this level up (complete subtrees of 16 leaves and more); a lower one is rebuilt from its
# leaves (8 at most) when a proof or the sealer's frontier needs it. Storing every inner node put a node row beside
# each leaf row: the sealer wrote two rows an event, and the node table grew as fast as the leaf table.
STORED_NODE_LEVEL = 4
VERIFY_BATCH = 5_000
LEASE_SECONDS = 120


# ---- keys ----------------------------------------------------------------------------------------------------------
def _private_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(settings.AUDIT_SIGNING_KEY))


def public_key_hex() -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return _private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


# ---- the sealer ------------------------------------------------------------------------------------------------------
@dataclass
class SealResult:
    sealed: list[int] = field(default_factory=list)  # event ids, in the order sealed
    head: AuditSignedHead | None = None
    skipped: bool = False  # another sealer held the lock


class _SealerLock:
    """PostgreSQL: a session advisory lock taken without waiting. SQLite: a lease on the state row."""

    def __init__(self):
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.held = False

    def __enter__(self) -> bool:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_SEALER_LOCK_ID])
                self.held = cursor.fetchone()[0]
            return self.held
        now = timezone.now()
        AuditSealState.objects.get_or_create(pk=1)
        self.held = bool(AuditSealState.objects.filter(pk=1).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_holder=self.holder)
        ).update(lease_holder=self.holder, lease_until=now + timedelta(seconds=LEASE_SECONDS)))
        return self.held

    def __exit__(self, *exc) -> None:
        if not self.held:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_SEALER_LOCK_ID])
        else:
            AuditSealState.objects.filter(pk=1, lease_holder=self.holder).update(lease_holder="", lease_until=None)


def _states_of(awc_ids: set[int]) -> dict[int, int]:
    """awc_id (a place's id: a centre, or any level for master-data events) -> its state's id."""
    if not awc_ids:
        return {}
    Location = apps.get_model("anganwadi", "Location")
    return {pk: (pk if level == "state" else state_id) or NATIONAL_TREE
            for pk, level, state_id in Location.objects.filter(pk__in=awc_ids).values_list("pk", "level", "state_id")}


def _complete(tree: int):
    """complete(level, index): the stored hash of a complete subtree (level 0: a leaf)."""

    def complete(level: int, index: int) -> bytes:
        if level == 0:
            value = AuditLeaf.objects.filter(tree=tree, index=index).values_list("leaf_hash", flat=True).first()
        elif level < STORED_NODE_LEVEL:
            first, width = index << level, 1 << level
            leaves = list(AuditLeaf.objects.filter(tree=tree, index__gte=first, index__lt=first + width)
                          .order_by("index").values_list("leaf_hash", flat=True))
            if len(leaves) != width:
                raise LookupError(f"tree {tree}: {len(leaves)} of the {width} leaves under level {level}, index {index}")
            return merkle.root([bytes.fromhex(leaf) for leaf in leaves])
        else:
            value = AuditNode.objects.filter(tree=tree, level=level, index=index).values_list("hash", flat=True).first()
        if value is None:
            raise LookupError(f"tree {tree}: no stored subtree at level {level}, index {index}")
        return bytes.fromhex(value)

    return complete


def _frontier(tree: int, size: int) -> merkle.Frontier:
    complete = _complete(tree)
    return merkle.Frontier(size, {level: complete(level, index) for level, index in merkle.Frontier.positions(size)})


def _sign_head(now) -> AuditSignedHead:
    trees = [[t, s, r] for t, s, r in AuditTree.objects.order_by("tree").values_list("tree", "size", "root")]
    last = AuditSignedHead.objects.aggregate(last=Max("serial"))["last"] or 0
    head = AuditSignedHead(serial=last + 1, signed_at=now, trees=trees,
                           root=merkle.national_root([tuple(t) for t in trees]).hex(), public_key=public_key_hex())
    head.signature = _private_key().sign(merkle.head_message(head.as_dict())).hex()
    head.save(force_insert=True)
    return head


_PG_TYPES = {"BigIntegerField": "bigint", "SmallIntegerField": "smallint", "DateTimeField": "timestamptz",
             "CharField": "text"}


def _insert_rows(model, names: list[str], rows: list[tuple]) -> None:
    """Many rows in few statements, without building model instances (the sealer's hot loop)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement: a column per array
            arrays = ", ".join(f"%s::{_PG_TYPES[f.get_internal_type()]}[]" for f in fields)
            for start in range(0, len(rows), 50_000):
                chunk = rows[start:start + 50_000]
                cursor.execute(into + f"SELECT * FROM unnest({arrays})", [list(column) for column in zip(*chunk)])
            return
        prepare = [f.get_db_prep_save for f in fields]
        cursor.executemany(into + f"VALUES ({', '.join(['%s'] * len(fields))})",
                           [[p(value, connection) for p, value in zip(prepare, row)] for row in rows])


CLOCK_SKEW = timedelta(seconds=30)  # between an app server's clock (an event's `at`) and the database's


def _horizon(now):
    """Events older than this have committed or rolled back.

    PostgreSQL: older than the oldest transaction still open on this database (pg_stat_activity.xact_start; the
    sealer runs as the application's database role, so it sees every session that writes events), less a margin for
    clock skew: a long import holds the cursor back and is sealed when it commits. SQLite (one writer at a time, no
    such view): AUDIT_SEAL_LATE_SECONDS ago.
    """
    if connection.vendor != "postgresql":
        return now - timedelta(seconds=settings.AUDIT_SEAL_LATE_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")
        oldest = cursor.fetchone()[0]
    return min(now, oldest or now) - CLOCK_SKEW


def seal_once(*, batch: int = SEAL_BATCH) -> SealResult:
    """One round: seal the committed, unsealed events, sign a head if any were sealed, move the cursor."""
    lock = _SealerLock()
    with lock as held:
        if not held:
            return SealResult(skipped=True)
        with transaction.atomic():
            state, _ = AuditSealState.objects.select_for_update().get_or_create(pk=1)
            cursor = state.sealed_through_id
            sealed_above = AuditLeaf.objects.filter(event_id__gt=cursor).values("event_id")
            events = list(AuditEvent.objects.filter(id__gt=cursor).exclude(id__in=sealed_above).order_by("id")
                          .values_list("id", "at", "hash", "awc_id")[:batch])
            result = SealResult(sealed=[e[0] for e in events])
            now = timezone.now()
            if events:
                states = _states_of({e[3] for e in events if e[3] is not None})
                by_tree: dict[int, list] = defaultdict(list)
                for event in events:
                    by_tree[states.get(event[3], NATIONAL_TREE) if event[3] is not None else NATIONAL_TREE].append(event)
                leaves, nodes = [], []
                for tree, tree_events in sorted(by_tree.items()):
                    current, _ = AuditTree.objects.get_or_create(tree=tree)
                    frontier = _frontier(tree, current.size)
                    for event_id, at, event_hash, _awc in tree_events:
                        leaf = merkle.leaf_hash(merkle.event_leaf(event_id, event_hash))
                        leaves.append((tree, frontier.size, event_id, at, leaf.hex()))
                        nodes.extend((tree, level, index, value.hex()) for level, index, value in frontier.append(leaf)
                                     if level >= STORED_NODE_LEVEL)
                    AuditTree.objects.filter(tree=tree).update(size=frontier.size, root=frontier.root().hex())
                _insert_rows(AuditLeaf, ["tree", "index", "event_id", "event_at", "leaf_hash"], leaves)
                _insert_rows(AuditNode, ["tree", "level", "index", "hash"], nodes)
                result.head = _sign_head(timezone.now())
            passed = AuditEvent.objects.filter(id__gt=cursor, at__lt=_horizon(now))
            if len(events) == batch:  # more to seal: the cursor may not pass what this round left
                passed = passed.filter(id__lte=events[-1][0])
            through = passed.aggregate(through=Max("id"))["through"]
            if through is not None and through > cursor:
                AuditSealState.objects.filter(pk=1).update(sealed_through_id=through)
    return result


def seal_all() -> list[SealResult]:
    """Rounds until nothing is left to seal (tests, commands)."""
    rounds = []
    while True:
        result = seal_once()
        rounds.append(result)
        if result.skipped or not result.sealed:
            return rounds


# ---- proofs -----------------------------------------------------------------------------------------------------------
def latest_head() -> AuditSignedHead | None:
    return AuditSignedHead.objects.order_by("-serial").first()


def inclusion(event_id: int) -> dict:
    """The inclusion proof of one event against the latest signed head (what `audit_proof` prints)."""
    leaf = AuditLeaf.objects.filter(event_id=event_id).first()
    if leaf is None:
        raise LookupError("not sealed yet")
    head = latest_head()
    named = merkle.tree_of(head.as_dict(), leaf.tree)
    event_hash = AuditEvent.objects.filter(pk=event_id).values_list("hash", flat=True).first()
    if event_hash is None:
        raise LookupError("sealed, but the event is missing from the log")
    size = named[0]
    path = merkle.inclusion_proof(leaf.index, size, merkle.subtree_from(_complete(leaf.tree)))
    return {"event_id": event_id, "event_hash": event_hash, "tree": leaf.tree, "leaf_index": leaf.index,
            "leaf_hash": leaf.leaf_hash, "tree_size": size, "root": named[1].hex(), "head_serial": head.serial,
            "path": [p.hex() for p in path]}


def consistency(old_size: int, new_size: int | None = None, *, tree: int = NATIONAL_TREE) -> dict:
    """The consistency proof between two sizes of one tree (new_size: the latest signed head's)."""
    head = latest_head()
    named = merkle.tree_of(head.as_dict(), tree) if head else None
    if named is None:
        raise LookupError("no signed head names this tree")
    new_size = named[0] if new_size is None else new_size
    if not 0 < old_size <= new_size <= named[0]:
        raise ValueError(f"sizes must satisfy 0 < old <= new <= {named[0]} (the latest signed size)")
    subtree = merkle.subtree_from(_complete(tree))
    return {"tree": tree, "old_size": old_size, "new_size": new_size, "old_root": subtree(0, old_size).hex(),
            "new_root": subtree(0, new_size).hex(), "proof": [p.hex() for p in
                                                              merkle.consistency_proof(old_size, new_size, subtree)]}


def export_heads(*, since: int = 0) -> dict:
    heads = [h.as_dict() for h in AuditSignedHead.objects.filter(serial__gt=since).order_by("serial")]
    return {"algorithm": "Ed25519", "public_key": public_key_hex(), "heads": heads}


# ---- verification ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainBreak:
    event_id: int  # 0 when the finding is about a tree or a head, not one event
    reason: str


def _verify_heads(breaks: list[ChainBreak]) -> dict[int, dict[int, str]]:
    """Check every head's signature; return tree -> {size: root} as the heads sign them."""
    signed: dict[int, dict[int, str]] = defaultdict(dict)
    for head in AuditSignedHead.objects.order_by("serial").iterator(chunk_size=VERIFY_BATCH):
        if not merkle.verify_signed_head(head.as_dict(), head.public_key) or head.public_key != public_key_hex():
            breaks.append(ChainBreak(0, f"signed head {head.serial}: signature or national root does not verify"))
            continue
        for tree, size, root in head.trees:
            if signed[tree].setdefault(size, root) != root:
                breaks.append(ChainBreak(0, f"tree {tree}: two signed heads give size {size} different roots"))
    return signed


def _verify_tree(tree: int, signed: dict[int, str], breaks: list[ChainBreak]) -> int:
    """Walk one tree's leaves in order: each names an existing event whose hash it holds; roots match the heads."""
    frontier = merkle.Frontier()
    last_index = -1
    gap_told = root_told = False  # one finding of each kind per tree, not one per later leaf
    while True:
        leaves = list(AuditLeaf.objects.filter(tree=tree, index__gt=last_index).order_by("index")
                      .values_list("index", "event_id", "leaf_hash")[:VERIFY_BATCH])
        if not leaves:
            break
        hashes = dict(AuditEvent.objects.filter(pk__in=[e for _, e, _ in leaves]).values_list("id", "hash"))
        for index, event_id, stored in leaves:
            if index != frontier.size and not gap_told:
                gap_told = True
                breaks.append(ChainBreak(0, f"tree {tree}: leaf {frontier.size} is missing"))
            if event_id not in hashes:
                breaks.append(ChainBreak(event_id, "sealed event missing from the log (deleted)"))
            elif merkle.leaf_hash(merkle.event_leaf(event_id, hashes[event_id])).hex() != stored:
                breaks.append(ChainBreak(event_id, "sealed event replaced or moved (its leaf does not match)"))
            frontier.append(bytes.fromhex(stored))
            expected = signed.get(frontier.size)
            if expected is not None and not root_told and frontier.root().hex() != expected:
                root_told = True
                breaks.append(ChainBreak(0, f"tree {tree}: the first {frontier.size} leaves do not give the signed "
                                            f"root (leaves edited, removed, inserted or reordered)"))
        last_index = leaves[-1][0]
    largest = max(signed, default=0)
    if frontier.size < largest:
        breaks.append(ChainBreak(0, f"tree {tree}: {frontier.size} leaves, a signed head names {largest}"))
    return frontier.size


def audit_verify() -> tuple[int, list[ChainBreak]]:
    """Check the whole log; return how many events were checked and every finding.

    Each event's hash against its content; each sealed event against its leaf; each tree's leaves against every
    signed head (so an edit, a deletion, an insertion or a reordering among sealed events shows); each head's
    signature; and no unsealed event below the sealer's cursor (an event slipped in after sealing).
    """
    breaks: list[ChainBreak] = []
    checked, last_id = 0, 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:VERIFY_BATCH])
        if not batch:
            break
        for event in batch:
            checked += 1
            if event_digest(event.prev_hash, event) != event.hash:
                breaks.append(ChainBreak(event.id, "content changed"))
        last_id = batch[-1].id
    signed = _verify_heads(breaks)
    trees = set(AuditTree.objects.values_list("tree", flat=True)) | set(signed)
    for tree in sorted(trees):
        _verify_tree(tree, signed.get(tree, {}), breaks)
    state = AuditSealState.objects.filter(pk=1).first()
    if state is not None:
        slipped = (AuditEvent.objects.filter(id__lte=state.sealed_through_id)
                   .exclude(id__in=AuditLeaf.objects.values("event_id")).order_by("id").values_list("id", flat=True))
        breaks.extend(ChainBreak(event_id, "not in any tree though older than the sealed part of the log (inserted "
                                           "after sealing)") for event_id in slipped)
    return checked, breaks
