"""Every write to assessment results: a participant's quiz attempt, or a result staff enter.
Every attempt and every entry is a row of its own, kept."""
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from education.exceptions import AssessmentRefused
from education.projects.models import Project
from education.registration.models import Registration

from .models import AssessmentResult

logger = logging.getLogger(__name__)

QUIZ_ATTEMPTS = 3


def _registration_locked(registration_id: int) -> Registration:
    registration = Registration.objects.select_for_update().select_related("project").get(pk=registration_id)
    if registration.state != Registration.State.REGISTERED:
        raise AssessmentRefused("报名尚未完成，不能参加考核。")
    if registration.project.state != Project.State.OPEN:
        raise AssessmentRefused("该项目的学分已授予，考核已结束。")
    return registration


def quiz_open(project: Project, now=None) -> bool:
    """The quiz opens when the first session starts and closes when credits are computed."""
    first = project.sessions.order_by("starts_at").first()
    return (project.assessment == Project.Assessment.QUIZ and project.state == Project.State.OPEN
            and first is not None and (now or timezone.now()) >= first.starts_at)


def quiz_submit(*, registration_id: int, user, answers: dict[int, int]) -> AssessmentResult:
    """Mark the participant's answers (question id → option number); passed at the project's
    pass mark. At most ``QUIZ_ATTEMPTS`` attempts; a passed quiz is not taken again."""
    with transaction.atomic():
        registration = _registration_locked(registration_id)
        project = registration.project
        if registration.user_id != user.pk:
            raise AssessmentRefused("只能为自己的报名作答。")
        if not quiz_open(project):
            raise AssessmentRefused("测验尚未开放或已结束。")
        results = list(registration.assessment_results.filter(source=AssessmentResult.Source.QUIZ))
        if any(r.passed for r in results):
            raise AssessmentRefused("您已通过测验，无需再次作答。")
        if len(results) >= QUIZ_ATTEMPTS:
            raise AssessmentRefused(f"测验最多作答 {QUIZ_ATTEMPTS} 次，您的次数已用完。")
        questions = list(project.questions.all())
        if set(answers) != {q.pk for q in questions}:
            raise AssessmentRefused("请回答全部题目后再提交。")
        correct = sum(1 for q in questions if answers[q.pk] == q.answer)
        score = (Decimal(correct) * 100 / len(questions)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        result = AssessmentResult.objects.create(
            registration=registration, source=AssessmentResult.Source.QUIZ, score=score,
            passed=score >= project.pass_mark, answers=[[q.pk, answers[q.pk]] for q in questions], recorded_by=user)
    logger.info("quiz: registration %s scored %s", registration_id, score)
    return result


def result_enter(*, registration_id: int, by, score: Decimal, note: str) -> AssessmentResult:
    """Staff enter an assessment result (an exam on site, an oral test): with a note saying
    how it was taken. An earlier result stays in the history; the person passes if any did."""
    note = (note or "").strip()
    if not note:
        raise AssessmentRefused("录入成绩须填写说明（如考核方式、时间）。")
    with transaction.atomic():
        registration = _registration_locked(registration_id)
        if registration.project.assessment == Project.Assessment.NONE:
            raise AssessmentRefused("该项目不设考核。")
        result = AssessmentResult.objects.create(
            registration=registration, source=AssessmentResult.Source.STAFF, score=score,
            passed=score >= registration.project.pass_mark, recorded_by=by, note=note)
    logger.info("assessment: %s entered %s for registration %s (%s)", by.pk, score, registration_id, note)
    return result
