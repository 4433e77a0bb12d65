"""Merkle trees in the manner of RFC 6962 (Certificate Transparency), and the checks an outside auditor runs.

A pure module: no Django, no database. The portal's sealer (poshan.core.audit_tree) uses it to build the audit
log's trees and to make proofs; an auditor who kept copies of the signed tree heads (`manage.py audit_heads
--export`) uses the `verify_*` functions to check, with nothing but this file and the `cryptography` package, that

- a signed head was signed by the portal's key (`verify_signed_head`);
- an event is in the tree a head signs (`verify_inclusion`, with the path `manage.py audit_proof` prints);
- a later head extends an earlier one without rewriting it (`verify_consistency`, `manage.py audit_consistency`).

Hashes (RFC 6962 section 2.1): leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right); the tree of n
leaves splits at k, the largest power of two below n. Verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

EMPTY_ROOT = hashlib.sha256(b"").digest()
SubtreeHash = Callable[[int, int], bytes]  # (start, end) -> MTH(D[start:end])


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def event_leaf(event_id: int, event_hash: str) -> bytes:
    """What the audit log puts in a leaf: the event's id and its own content hash (an HMAC the database holds)."""
    return f"{event_id}:{event_hash}".encode()


def split(n: int) -> int:
    """k: the largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: list[bytes]) -> bytes:
    """MTH over leaf hashes (already leaf_hash()-ed)."""
    if not leaves:
        return EMPTY_ROOT
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


class Frontier:
    """The right edge of an append-only tree: one complete subtree per set bit of its size.

    Appending is a binary increment; `append` returns the inner nodes it completed as (level, index, hash), level >= 1,
    index counted from the left at that level, so a store keeps every complete subtree and can answer any proof.
    """

    def __init__(self, size: int = 0, subtrees: dict[int, bytes] | None = None):
        self.size = size
        self.subtrees = dict(subtrees or {})  # level -> hash of the complete subtree of 2**level leaves at that bit

    @staticmethod
    def positions(size: int) -> list[tuple[int, int]]:
        """(level, index) of the complete subtrees making up a tree of `size` leaves, left to right."""
        out, start = [], 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                out.append((level, start >> level))
                start += 1 << level
        return out

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        made = []
        current, index, level = leaf, self.size, 0
        while index & 1:
            current = node_hash(self.subtrees.pop(level), current)
            index >>= 1
            level += 1
            made.append((level, index, current))
        self.subtrees[level] = current
        self.size += 1
        return made

    def root(self) -> bytes:
        if not self.size:
            return EMPTY_ROOT
        result = None
        for level in sorted(self.subtrees):
            result = self.subtrees[level] if result is None else node_hash(self.subtrees[level], result)
        return result


# ---- proofs, for any store that can give the hash of a subtree -------------------------------------------------------
def subtree_from(complete: Callable[[int, int], bytes]) -> SubtreeHash:
    """MTH(D[start:end]) from a lookup of complete, aligned subtrees complete(level, index) (level 0 = leaf hashes).

    Every range the RFC's recursion meets is a complete aligned subtree or a right edge made of them.
    """

    def subtree(start: int, end: int) -> bytes:
        size = end - start
        if size & (size - 1) == 0 and start % size == 0:
            level = size.bit_length() - 1
            return complete(level, start >> level)
        k = split(size)
        return node_hash(subtree(start, start + k), subtree(start + k, end))

    return subtree


def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 section 2.1.1: the siblings from the leaf up to the root."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    path, start, end = [], 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start += k
    return path[::-1]


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeHash) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 section 2.1.2."""
    if not 0 < old_size <= new_size:
        raise ValueError("sizes must satisfy 0 < old <= new")

    def sub(m: int, start: int, end: int, complete: bool) -> list[bytes]:
        size = end - start
        if m == size:
            return [] if complete else [subtree(start, end)]
        k = split(size)
        if m <= k:
            return sub(m, start, start + k, complete) + [subtree(start + k, end)]
        return sub(m - k, start + k, end, False) + [subtree(start, start + k)]

    return sub(old_size, 0, new_size, True)


# ---- the auditor's checks ---------------------------------------------------------------------------------------------
def verify_inclusion(leaf: bytes, index: int, size: int, path: Iterable[bytes], expected_root: bytes) -> bool:
    """RFC 9162 2.1.3.2: `leaf` (a leaf hash) sits at `index` of the tree of `size` leaves whose root is given."""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == expected_root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 2.1.4.2: the tree of new_size leaves keeps the first old_size leaves unchanged."""
    if old_size == new_size:
        return not proof and old_root == new_root
    if not 0 < old_size < new_size or not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# ---- signed tree heads -------------------------------------------------------------------------------------------------
# A head names every tree (one per state; tree 0 holds events with no state) with its size and root, and a national
# root: the RFC tree over the trees' heads in tree order. The signature covers `head_message`.
def tree_head_leaf(tree: int, size: int, root_hex: str) -> bytes:
    return f"{tree}:{size}:{root_hex}".encode()


def national_root(trees: Iterable[tuple[int, int, str]]) -> bytes:
    return root([leaf_hash(tree_head_leaf(t, s, r)) for t, s, r in sorted(trees)])


def head_message(head: dict) -> bytes:
    """The bytes signed: version, serial, time, trees and national root, as canonical JSON."""
    body = {"v": 1, "serial": head["serial"], "time": head["time"],
            "trees": [[int(t), int(s), r] for t, s, r in sorted(head["trees"])], "root": head["root"]}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def verify_signed_head(head: dict, public_key_hex: str) -> bool:
    """The head's national root matches its trees and its Ed25519 signature is the key's."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    trees = [(int(t), int(s), r) for t, s, r in head["trees"]]
    if national_root(trees).hex() != head["root"]:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(bytes.fromhex(head["signature"]),
                                                                                 head_message(head))
    except (InvalidSignature, ValueError):
        return False
    return True


def tree_of(head: dict, tree: int) -> tuple[int, bytes] | None:
    """(size, root) of one tree in a signed head, or None if the head does not name it."""
    for t, s, r in head["trees"]:
        if int(t) == tree:
            return int(s), bytes.fromhex(r)
    return None


def verify_proof_document(proof: dict, heads: list[dict], public_key_hex: str) -> bool:
    """An auditor's whole check of what `manage.py audit_proof --json` printed against heads kept from an export:
    the head it names is among the kept ones and signed, the leaf is the event's, and the path leads to that root."""
    kept = {h["serial"]: h for h in heads}
    head = kept.get(proof["head_serial"])
    if head is None or not verify_signed_head(head, public_key_hex):
        return False
    named = tree_of(head, proof["tree"])
    if named is None or named[0] != proof["tree_size"]:
        return False
    leaf = leaf_hash(event_leaf(proof["event_id"], proof["event_hash"]))
    return verify_inclusion(leaf, proof["leaf_index"], proof["tree_size"], [bytes.fromhex(p) for p in proof["path"]],
                            named[1])
