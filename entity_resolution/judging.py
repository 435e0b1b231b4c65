"""Analysts' judgements: "these two are the same person", "they are not", "not sure", and
undoing an earlier one. The CLI and the API are thin wrappers over these functions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import Decision, Judgement
from backend.store.interface import GraphStore


def judge(store: GraphStore, left_id: str, right_id: str, decision: str, user: str, reason: str = "", case: str | None = None) -> Judgement:
    """Record a named analyst's decision about two entities, in one case (named by id or name;
    the only case there is when none is named): it acts on that case's views only."""
    if decision not in {d.value for d in Decision}:
        raise InvalidRecordError("judgement", None, f"decision must be one of {[d.value for d in Decision]}, not {decision!r}")
    case_id = store.record_case(case, "judgement", (left_id, right_id))
    return store.add_judgement(Judgement.new(left_id, right_id, decision, f"user:{user}", reason=reason, case_id=case_id))


def undo(store: GraphStore, judgement_id: str, user: str, reason: str, decision: str = "unsure", case: str | None = None) -> Judgement:
    """Withdraw a judgement by recording another that retracts it; both stay on record.
    `decision` is what holds for the pair afterwards (by default: undecided)."""
    earlier = store.judgements_by_id([judgement_id]).get(judgement_id)
    if earlier is None:
        raise NotFoundError("judgement", judgement_id)
    if not reason.strip():
        raise InvalidRecordError("judgement", None, "say why the judgement is undone (a reason is required)")
    # The later judgement holds, so a retraction is always later than what it retracts.
    now = max(datetime.now(timezone.utc), datetime.fromisoformat(earlier.at).replace(tzinfo=timezone.utc) + timedelta(microseconds=1))
    # In the case of what it withdraws: a rule's judgement (every case) is withdrawn in the case named.
    case_id = earlier.case_id or store.record_case(case, "judgement", (earlier.left_id, earlier.right_id))
    return store.add_judgement(
        Judgement.new(
            earlier.left_id, earlier.right_id, decision, f"user:{user}", reason=reason, retracts=judgement_id, at=now, case_id=case_id
        )
    )
