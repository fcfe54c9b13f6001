"""The participant's online quiz."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from education.exceptions import EducationError
from education.registration.views import own_or_404

from . import services
from .forms import QuizForm


@login_required
def quiz(request, pk):
    registration = own_or_404(request, pk)
    project = registration.project
    if not services.quiz_open(project):
        messages.info(request, "测验尚未开放或已结束。")
        return redirect("education:registration", pk=registration.pk)
    form = QuizForm(request.POST or None, questions=list(project.questions.all()))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.quiz_submit(registration_id=registration.pk, user=request.user, answers=form.answers())
        except EducationError as exc:
            messages.error(request, str(exc))
        else:
            if result.passed:
                messages.success(request, f"测验得分 {result.score}，合格。")
            else:
                messages.warning(request, f"测验得分 {result.score}，未达到合格分数 {project.pass_mark}。")
        return redirect("education:registration", pk=registration.pk)
    return render(request, "education/quiz.html", {"registration": registration, "project": project, "form": form},
                  status=422 if form.errors else 200)
