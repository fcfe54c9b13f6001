"""Registering for a project, paying its fee, and the participant's own registrations."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from education.exceptions import EducationError
from education.projects.selectors import public_project, seat_of
from membership.selectors import active_member_of
from payments.views import invoice_info

from . import selectors, services
from .forms import CancelForm, RegistrationForm
from .models import PROGRESS_STEPS as STEPS
from .models import Registration


def own_or_404(request, pk) -> Registration:
    registration = selectors.own_registration(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    return registration


@login_required
def register(request, pk):
    project = public_project(pk)
    if project is None:
        raise Http404
    existing = seat_of(user=request.user, project=project)
    if existing is not None:
        return redirect("education:registration", pk=existing.pk)
    form = RegistrationForm(request.POST or None, initial=selectors.details_to_start_from(user=request.user))
    member = active_member_of(user=request.user) is not None
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(project_id=project.pk, user=request.user,
                                                        details=form.cleaned_data)
        except EducationError as exc:
            form.add_error(None, str(exc))
        else:
            if registration.state == Registration.State.REGISTERED:
                messages.success(request, "报名成功，确认信息已通过站内消息、短信和邮件发送。")
                return redirect("education:registration", pk=registration.pk)
            return redirect("education:pay", pk=registration.pk)
    return render(request, "education/register.html", {
        "project": project, "form": form, "price": project.price_for(is_member=member), "member": member,
        "steps": [(label, "current" if i == 0 else "todo") for i, label in enumerate(STEPS)],
    }, status=422 if form.errors else 200)


@login_required
def pay(request, pk):
    registration = own_or_404(request, pk)
    if not services.registration_due(registration):
        messages.info(request, "这一报名当前无需缴费。")
        return redirect("education:registration", pk=registration.pk)
    return invoice_info(request, payable=registration, back_url=reverse("education:registration", args=[registration.pk]))


@login_required
@require_POST
def cancel(request, pk):
    registration = own_or_404(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写取消原因。")
        return redirect("education:registration", pk=registration.pk)
    try:
        services.registration_cancel(registration_id=registration.pk, by=request.user,
                                     reason=form.cleaned_data["reason"])
    except EducationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "报名已取消。")
    return redirect("education:registration", pk=registration.pk)


@login_required
def my_registrations(request):
    return render(request, "education/my_registrations.html", {
        "registrations": selectors.registrations_of(user=request.user)[:100],
    })
