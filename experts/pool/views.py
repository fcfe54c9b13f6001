"""The pool's page: applying to the expert pool (申请入库), with SMS proof of the mobile and the
consent letter kept across a refused submission."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django_fsm import can_proceed

from accounts import verification
from core import staging
from core.ratelimits import form_over_limit
from experts.exceptions import ExpertsError
from experts.pool import services as pool
from experts.pool.forms import ExpertApplicationForm

# An anonymous application creates an account and uploads a file: a few per address and hour.
APPLY_RATE = "10/h"
APPLY_PURPOSE = "expert-apply"  # core.staging: the consent letter kept across a refused submission


def apply(request):
    """Apply to the expert pool (004 §9), from the home page's 专家工作台 entrance. A visitor
    proves their mobile by an SMS code and gets an account; a signed-in person applies with
    theirs. A returned, expiring or expired expert applies again here (reappointment keeps every
    earlier term). A consent letter chosen on a refused submission is kept for the next one."""
    expert = getattr(request.user, "expert", None) if request.user.is_authenticated else None
    if expert is not None and not can_proceed(expert.resubmit):
        return redirect("experts:workbench")
    anonymous = not request.user.is_authenticated
    if request.method == "POST" and anonymous and "send_code" in request.POST:
        form = ExpertApplicationForm(initial={k: v for k, v in request.POST.items()
                                              if k not in ("csrfmiddlewaretoken", "send_code", "password1",
                                                           "password2")}, user=request.user)
        form.show_staged(staging.staged_names(request, APPLY_PURPOSE))
        return render(request, "experts/apply.html", {
            "form": form, "expert": expert,
            "sms_notice": verification.send_code_notice(request, request.POST.get("mobile", ""))})
    kept = ({"consent_letter": expert.consent_letter_name} if expert is not None
            else staging.staged_names(request, APPLY_PURPOSE))
    form = ExpertApplicationForm(request.POST or None, request.FILES or None, instance=expert, user=request.user,
                                 staged=kept)
    limited = request.method == "POST" and anonymous and form_over_limit(request, form, group="expert_apply",
                                                                          rate=APPLY_RATE)
    if request.method == "POST" and not limited and form.is_valid() and (
            not anonymous or (verification.form_mobile_proven(form) and not verification.add_taken_errors(form))):
        try:
            if expert is None:
                consent = (form.cleaned_data.get("consent_letter")
                           or staging.staged_file(request, APPLY_PURPOSE, "consent_letter"))
                expert = pool.expert_apply(data=form.profile_data(), user=None if anonymous else request.user,
                                           consent_letter=consent, password=form.cleaned_data.get("password1") or "")
            else:
                pool.expert_resubmit(expert_id=expert.pk, data=form.profile_data(), by=request.user,
                                     consent_letter=form.cleaned_data.get("consent_letter") or None)
        except ExpertsError as exc:
            form.add_error(None, str(exc))
        else:
            staging.unstage(request, APPLY_PURPOSE)
            if anonymous:
                login(request, expert.user, backend="accounts.backends.AuthenticationBackend")
            messages.success(request, "入库申请已提交，评价办公室审核后将通知您。如与任何医疗机构存在任职、投资、"
                                      "咨询、亲属等利害关系，请在下方“申报利益冲突”中逐项申报。")
            return redirect("experts:workbench")
    if request.method == "POST" and expert is None and not limited:
        staging.stage(request, APPLY_PURPOSE, form, ExpertApplicationForm.upload_fields)
        form.show_staged(staging.staged_names(request, APPLY_PURPOSE))
    return render(request, "experts/apply.html", {"form": form, "expert": expert})
