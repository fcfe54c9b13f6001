from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from evaluation.models import Assignment, Evaluation

from .exceptions import AssignmentRefused
from .models import Evaluator
from .services import assignment_create


@admin.register(Evaluator)
class EvaluatorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "employer_name", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "organisation", "employer_name", "user__mobile")
    autocomplete_fields = ("user",)


class AssignmentForm(forms.Form):
    evaluation = forms.ModelChoiceField(label="评价", queryset=Evaluation.objects.filter(
        state__in=[Evaluation.State.UNDER_REVIEW, Evaluation.State.SELF_ASSESSMENT, Evaluation.State.SUPPLEMENT]))
    evaluator = forms.ModelChoiceField(label="评价人员", queryset=Evaluator.objects.filter(is_active=True))


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """The office assigns evaluators here; conflicts of interest are refused by the service."""

    list_display = ("evaluation", "evaluator", "state", "total", "assigned_at", "submitted_at")
    list_filter = ("state",)
    list_select_related = ("evaluation__member", "evaluation__programme", "evaluator")
    readonly_fields = ("evaluation", "evaluator", "state", "total", "comment", "assigned_by", "assigned_at",
                       "submitted_at")

    def add_view(self, request, form_url="", extra_context=None):
        form = AssignmentForm(request.POST or None, initial={"evaluation": request.GET.get("evaluation")})
        if request.method == "POST" and form.is_valid():
            try:
                assignment_create(by=request.user, **form.cleaned_data)
            except AssignmentRefused as exc:
                form.add_error("evaluator", str(exc))
            else:
                messages.success(request, "已指派评价人员。")
                return HttpResponseRedirect(reverse("admin:evaluation_evaluation_change",
                                                    args=[form.cleaned_data["evaluation"].pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "指派评价人员"}
        return TemplateResponse(request, "admin/evaluation/assign.html", context)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
