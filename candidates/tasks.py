"""django-q2 entry points of the candidates app. Stable dotted names (stored in schedules); no logic here."""

from __future__ import annotations

from django.conf import settings

from candidates.privacy import candidates_purge


def purge_personal_data() -> dict[str, int]:
    """Daily retention run: erase candidates inactive for PERSONAL_DATA_RETENTION_DAYS (0: off, does nothing)."""
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    if days <= 0:
        return {"erased": 0, "skipped": 0}
    report = candidates_purge(older_than_days=days, dry_run=False)
    return {"erased": len(report.candidate_ids), "skipped": len(report.skipped_ids)}
