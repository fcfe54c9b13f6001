"""The assessment a project may set: the online quiz (pass mark, attempts) and results staff
enter with a note; every attempt and entry is kept."""
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from education.assessment import services
from education.exceptions import AssessmentRefused
from education.models import AssessmentResult, Project, QuizQuestion
from education.projects import services as projects
from education.projects.tests.helpers import make_project, office_user, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_seat():
    office = office_user()
    project = make_project(office=office, publish=False, starts_on=timezone.localdate(),
                           assessment=Project.Assessment.QUIZ, pass_mark=60)
    for n in range(1, 4):
        QuizQuestion.objects.create(project=project, position=n, text=f"第{n}题", options="甲\n乙\n丙", answer=n)
    for step in (projects.project_file, projects.project_approve, projects.project_publish):
        step(project_id=project.pk, by=office)
    registration = register(project)
    with time_machine.travel(project.sessions.order_by("starts_at").first().starts_at, tick=False):
        yield registration, list(project.questions.all())


def answers(questions, right: int) -> dict[int, int]:
    return {q.pk: q.answer if i < right else (q.answer % 3) + 1 for i, q in enumerate(questions)}


def test_a_quiz_is_marked_at_the_pass_mark_and_a_pass_ends_it(quiz_seat):
    registration, questions = quiz_seat
    failed = services.quiz_submit(registration_id=registration.pk, user=registration.user, answers=answers(questions, 1))
    assert (failed.score, failed.passed) == (Decimal("33.3"), False)
    passed = services.quiz_submit(registration_id=registration.pk, user=registration.user, answers=answers(questions, 2))
    assert (passed.score, passed.passed) == (Decimal("66.7"), True)
    with pytest.raises(AssessmentRefused, match="已通过"):
        services.quiz_submit(registration_id=registration.pk, user=registration.user, answers=answers(questions, 3))
    assert AssessmentResult.objects.filter(registration=registration).count() == 2


def test_three_attempts_at_most_and_every_question_answered(quiz_seat):
    registration, questions = quiz_seat
    with pytest.raises(AssessmentRefused, match="全部题目"):
        services.quiz_submit(registration_id=registration.pk, user=registration.user,
                             answers={questions[0].pk: 1})
    for _ in range(3):
        services.quiz_submit(registration_id=registration.pk, user=registration.user, answers=answers(questions, 0))
    with pytest.raises(AssessmentRefused, match="次数已用完"):
        services.quiz_submit(registration_id=registration.pk, user=registration.user, answers=answers(questions, 3))


def test_the_quiz_page_marks_the_answers(quiz_seat, client):
    registration, questions = quiz_seat
    client.force_login(registration.user)
    url = reverse("education:quiz", args=[registration.pk])
    assert "第1题" in client.get(url).content.decode()
    incomplete = client.post(url, {f"q{questions[0].pk}": "1"})
    assert incomplete.status_code == 422 and "请选择一个答案" in incomplete.content.decode()
    client.post(url, {f"q{q.pk}": str(q.answer) for q in questions})
    assert AssessmentResult.objects.get(registration=registration).score == Decimal("100")
    other = register(registration.project)
    client.force_login(other.user)
    assert client.get(reverse("education:quiz", args=[registration.pk])).status_code == 404


def test_staff_enter_a_result_with_a_note_and_earlier_ones_stay():
    office = office_user()
    project = make_project(office=office, assessment=Project.Assessment.STAFF, pass_mark=70)
    registration = register(project)
    with pytest.raises(AssessmentRefused, match="说明"):
        services.result_enter(registration_id=registration.pk, by=office, score=Decimal("80"), note="")
    services.result_enter(registration_id=registration.pk, by=office, score=Decimal("65"), note="现场笔试")
    services.result_enter(registration_id=registration.pk, by=office, score=Decimal("75"), note="补考")
    results = list(AssessmentResult.objects.filter(registration=registration).order_by("pk")
                   .values_list("score", "passed", "recorded_by", "note"))
    assert results == [(Decimal("65"), False, office.pk, "现场笔试"), (Decimal("75"), True, office.pk, "补考")]
    none = make_project(office=office)
    with pytest.raises(AssessmentRefused, match="不设考核"):
        services.result_enter(registration_id=register(none).pk, by=office, score=Decimal("90"), note="x")
