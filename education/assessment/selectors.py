"""Reads of assessment results: whether each participant passed."""
from collections import defaultdict

from education.projects.models import Project

from .models import AssessmentResult


def outcomes(*, project) -> dict[int, bool]:
    """Registration id → passed (any result passed) for those with a result (one query)."""
    passed: dict[int, bool] = defaultdict(bool)
    for registration_id, ok in AssessmentResult.objects.filter(registration__project=project).values_list(
            "registration_id", "passed"):
        passed[registration_id] |= ok
    return dict(passed)


def assessment_passed(project, results: dict[int, bool], registration_id: int) -> bool | None:
    """None when the project sets no assessment; else whether the participant passed (no
    result counts as not passed)."""
    if project.assessment == Project.Assessment.NONE:
        return None
    return results.get(registration_id, False)
