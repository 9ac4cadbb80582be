"""How a candidate is named where people read lists of them (exports, calendar feeds): never an erased person's data."""

from __future__ import annotations

from candidates.models import Candidate, CandidateStatus
from candidates.privacy import erased_label


def is_erased(candidate: Candidate) -> bool:
    """Erased by status or by date: either one means no personal data leaves the system."""
    return candidate.status == CandidateStatus.ERASED or candidate.erased_at is not None


def candidate_label(candidate: Candidate | None) -> str:
    """The name, else @username, else the number; an erased candidate by number only."""
    if candidate is None:
        return ""
    if is_erased(candidate):
        return erased_label(candidate.pk)
    return candidate.full_name or (f"@{candidate.username}" if candidate.username else erased_label(candidate.pk))
