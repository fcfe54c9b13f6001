"""The draw of an expert group (004 §10: 5-11 experts drawn at random from the pool): a
deterministic algorithm over a frozen pool and a committed seed, so that anyone holding the
record can recompute it.

The record
    ``snapshot``   the frozen pool: the visit, institution and dates, the group size and the
                   specialties to cover, ``pool`` as ``[expert id, specialty]`` sorted by id,
                   and ``excluded`` as ``[expert id, reason]`` sorted by id.
    ``pool_digest``      SHA-256 of ``canonical(snapshot)`` (UTF-8 JSON, sorted keys, no spaces).
    ``seed``             64 hexadecimal characters from the operating system's CSPRNG, kept
                         sealed (core.sealing, a key outside the database) until the draw.
    ``seed_commitment``  SHA-256 of the seed's ASCII text, stored with the digest *before* the
                         draw; the seed itself is shown only after it.
    ``witness_value``    what the supervising witness (监督人) says at the draw, 1-32 letters or
                         digits; nobody knows it when the pool is frozen.
    ``snapshot["earlier_draws"]``  every earlier visit of the same evaluation (cancelled), with
                         its digest, commitment, seed and group, who cancelled it and why: a
                         discarded draw is part of the digest of the next.

The algorithm
    0. The draw seed is SHA-256 of ``"<seed>:<witness value>"`` (hex); a draw recorded before
       witnesses were asked for has no witness value and uses the seed itself.
    1. Each candidate's key is SHA-256 of ``"<draw seed>:<expert id>"``; candidates are ordered by
       key (then by id, which never decides in practice).
    2. For each required specialty in the order listed, the first candidate in that order with
       that specialty joins the group (unless already in it).
    3. The group is filled up to its size with the next candidates in order.
    4. Everyone left is a reserve, ranked in the same order.

Replacing a member later (a decline, a lapse, an upheld challenge) takes the first reserve in
rank order, or, when the member leaving was the only one of a required specialty, the first
reserve in rank order with that specialty (experts.review.services.next_reserve).
"""
import hashlib
import json
import secrets
from dataclasses import dataclass


class PoolTooSmall(ValueError):
    """The frozen pool cannot seat the group or cover a required specialty."""


def canonical(snapshot: dict) -> bytes:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(snapshot: dict) -> str:
    return hashlib.sha256(canonical(snapshot)).hexdigest()


def fresh_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def draw_seed(seed: str, witness_value: str) -> str:
    """The seed the algorithm runs on: the committed seed mixed with the witness's value."""
    if not witness_value:
        return seed
    return hashlib.sha256(f"{seed}:{witness_value}".encode()).hexdigest()


def _order(pool: list[list], seed: str) -> list[list]:
    return sorted(pool, key=lambda row: (hashlib.sha256(f"{seed}:{row[0]}".encode()).hexdigest(), row[0]))


def shortfall(snapshot: dict) -> list[str]:
    """Why the frozen pool cannot give this group (empty: it can)."""
    pool = snapshot["pool"]
    problems = []
    if len(pool) < snapshot["group_size"]:
        problems.append(f"符合条件的专家只有 {len(pool)} 人，不足专家组人数 {snapshot['group_size']} 人")
    available = {specialty for _, specialty in pool}
    missing = [s for s in snapshot["specialties"] if s not in available]
    if missing:
        problems.append("没有可抽取的专家覆盖：" + "、".join(missing))
    return problems


def draw(snapshot: dict, seed: str) -> dict:
    """``{"group": [expert ids in the order drawn], "reserves": [expert ids by rank]}``."""
    if shortfall(snapshot):
        raise PoolTooSmall("；".join(shortfall(snapshot)))
    ordered = _order(snapshot["pool"], seed)
    group: list[int] = []
    for specialty in snapshot["specialties"]:
        if any(s == specialty for expert_id, s in ordered if expert_id in group):
            continue
        group.append(next(expert_id for expert_id, s in ordered if s == specialty and expert_id not in group))
    for expert_id, _ in ordered:
        if len(group) >= snapshot["group_size"]:
            break
        if expert_id not in group:
            group.append(expert_id)
    return {"group": group, "reserves": [expert_id for expert_id, _ in ordered if expert_id not in group]}


@dataclass(frozen=True)
class Replay:
    """A draw recomputed from its record: each check, and whether all of them hold."""

    digest_matches: bool
    commitment_matches: bool
    result_matches: bool
    recomputed: dict

    @property
    def matches(self) -> bool:
        return self.digest_matches and self.commitment_matches and self.result_matches


def replay(*, snapshot: dict, pool_digest: str, seed: str, seed_commitment: str, result: dict,
           witness_value: str = "") -> Replay:
    recomputed = draw(snapshot, draw_seed(seed, witness_value))
    return Replay(digest_matches=digest(snapshot) == pool_digest, commitment_matches=commitment(seed) == seed_commitment,
                  result_matches=recomputed == result, recomputed=recomputed)
