"""Workflow buttons on Django admin change pages that call the same services as the site.

A ModelAdmin lists ``transitions``; each becomes a button on the change page, a
confirmation page (with a required reason or comment where the step needs one), and a POST
that calls the service itself: ``service(<model>_id=obj.pk, by=user, <reason_arg>=reason)``,
or with a form's cleaned data as keyword arguments. No adapter functions: the service's own
keyword names are declared on the button. The service does the checking; a refusal comes
back as an error message, never a crash. Availability is usually ``can_proceed`` on the
model's transition of the same step (``transition_available``).
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed


@dataclass(frozen=True)
class AdminTransition:
    name: str
    label: str
    service: Callable  # the service: service(<object_arg>=obj.pk, by=user, **arguments)
    permission: str  # "app_label.codename" the staff user needs
    available: Callable[[object], bool]
    reason_label: str | None = None  # a required text field when set
    reason_arg: str = "reason"  # the service's keyword for that text
    object_arg: str = ""  # the service's keyword for the object's id; default "<model name>_id"
    fixed: dict = field(default_factory=dict)  # keyword arguments the button always passes
    style: str = "default"  # default | danger
    form_class: type | None = None  # a form whose cleaned data are the service's keyword arguments
    warning: Callable[[object], str] | None = None  # what staff should know before confirming ("" for nothing)


def transition_available(method_name: str) -> Callable[[object], bool]:
    """Whether the object's FSM transition ``method_name`` can be taken now (can_proceed)."""
    return lambda obj: can_proceed(getattr(obj, method_name))


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


class TransitionButtonsMixin:
    transitions: tuple[AdminTransition, ...] = ()
    change_form_template = "admin/transition_change_form.html"
    # Errors a service may raise that mean "not now, here's why": each admin adds its app's
    # error tree; anything else is a bug and surfaces as one.
    refusal_errors: tuple[type[Exception], ...] = (TransitionNotAllowed, ConcurrentTransition, ValidationError)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("<path:object_id>/transition/<str:name>/", self.admin_site.admin_view(self.transition_view),
                 name="{}_{}_transition".format(*info)),
            *super().get_urls(),
        ]

    def available_transitions(self, request, obj):
        return [t for t in self.transitions if request.user.has_perm(t.permission) and t.available(obj)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["transition_buttons"] = self.available_transitions(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        obj = get_object_or_404(self.model, pk=object_id)
        step = next((t for t in self.transitions if t.name == name), None)
        if step is None:
            raise Http404
        if not request.user.has_perm(step.permission):
            raise PermissionDenied
        change_url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        data = (request.POST, request.FILES) if request.method == "POST" else ()
        if step.form_class:
            form = step.form_class(*data, instance_for=obj)
        elif step.reason_label:
            form = ReasonForm(*data)
            form.fields["reason"].label = step.reason_label
        else:
            form = None
        if request.method == "POST" and (form is None or form.is_valid()):
            arguments = {step.object_arg or f"{obj._meta.model_name}_id": obj.pk, "by": request.user, **step.fixed}
            if step.form_class:
                arguments.update(form.cleaned_data)
            elif form is not None:
                arguments[step.reason_arg] = form.cleaned_data["reason"]
            try:
                step.service(**arguments)
            except self.refusal_errors as exc:
                if form is None:
                    messages.error(request, f"“{step.label}”未执行：{_explain(exc)}")
                    return HttpResponseRedirect(change_url)
                # What was typed stays on the page, with the reason above it.
                form.add_error(None, f"“{step.label}”未执行：{_explain(exc)}")
            else:
                messages.success(request, f"已{step.label}：{obj}")
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "object": obj, "step": step, "form": form,
            "title": f"{step.label}：{obj}", "change_url": change_url,
            "warning": step.warning(obj) if step.warning else "",
        }
        status = 422 if form is not None and form.is_bound and form.errors else 200
        return TemplateResponse(request, "admin/transition_confirm.html", context, status=status)


def _explain(exc: Exception) -> str:
    if isinstance(exc, TransitionNotAllowed):
        return "当前状态不允许此操作。"
    if isinstance(exc, ConcurrentTransition):
        return "该记录刚被其他人修改，请刷新后重试。"
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
