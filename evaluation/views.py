from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from core.access import member_required
from core.fragments import kept_page, kept_public_page
from core.paging import PeekPage
from core.ratelimits import form_over_limit
from payments.views import invoice_info

from . import selectors, services
from .application_form import SECTION_KEYS, answers_from_post, prefill, section
from .exceptions import EvaluationError
from .forms import AppealForm, ApplyForm, HandlerForm, ObjectionForm, RectificationForm
from .models import Evaluation, Programme, SpotCheck, document_validator, evidence_validator
from .panels import panels_for

INSTITUTION_STEPS = ("submit", "fee_paid", "submit_self_assessment", "resubmit_supplement", "submit_evidence",
                     "appeal")


def _own(member, pk, related=selectors.EVALUATION_PAGE_RELATED) -> Evaluation:
    evaluation = selectors.evaluation_for_member(member=member, pk=pk, related=related)
    if evaluation is None:
        raise Http404
    return evaluation


def _page(request, evaluation, template, **context):
    return render(request, template, {**_evaluation_context(evaluation), **context})


def _cached_page(request, evaluation, template, body, *, related=("deadlines",), **context):
    """A page whose body is a kept part (core.fragments): the evaluation's related rows and
    everything ``body()`` computes are fetched only when the part is built."""
    def fragment_context():
        prefetch_related_objects([evaluation], *related)
        return {**_evaluation_context(evaluation), **body()}
    return render(request, template, {"evaluation": evaluation, "fragment_context": fragment_context, **context})


def _evaluation_context(evaluation) -> dict:
    # What the institution can do now, as its programme's graph says (the template's buttons).
    can = {step: can_proceed(getattr(evaluation, step)) for step in INSTITUTION_STEPS}
    return {"evaluation": evaluation, "progress": evaluation.progress(), "can": can,
            "due": evaluation.current_clock(), "today": timezone.localdate()}


@member_required
def index(request, member):
    """Both programmes: the open one to apply for, each with its standard to study and, when
    the member may not apply yet, each unmet condition with what to do."""
    today = timezone.localdate()
    programmes = [(p, p.rules.unmet_conditions(member, today)) for p in Programme.objects.order_by("-is_open", "id")]
    return render(request, "evaluation/index.html", {
        "member": member, "programmes": programmes, "evaluations": selectors.evaluations_of(member=member),
    })


def standard(request, kind):
    """学习标准: the programme's standard, readable by anyone, chapter by chapter, with search."""
    programme = get_object_or_404(Programme, kind=kind)
    query = (request.GET.get("q") or "").strip()[:50]
    chapters = selectors.standard_chapters(programme=programme, query=query)
    return render(request, "evaluation/standard.html", {
        "programme": programme, "chapters": chapters, "query": query,
        "item_count": sum(len(c.shown_items) for c in chapters),
    })


@member_required
def apply(request, member, kind):
    programme = get_object_or_404(Programme, kind=kind, is_open=True)
    unmet = programme.rules.unmet_conditions(member, timezone.localdate())
    if unmet:  # the index names each condition with what to do
        messages.error(request, f"暂不能申请{programme.name}：" + " ".join(unmet))
        return redirect("evaluation:index")
    form = ApplyForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_start(member=member, programme=programme, by=request.user,
                                                   declarations=form.cleaned_data["declarations"])
        except EvaluationError as exc:
            messages.error(request, str(exc))
            return redirect("evaluation:index")
        if programme.rules.application_form:
            return redirect("evaluation:form", pk=evaluation.pk)
        return redirect("evaluation:documents", pk=evaluation.pk)
    return render(request, "evaluation/apply.html", {"programme": programme, "form": form, "member": member,
                                                      "progress": programme.rules.progress_before_start()})


def _owns(request, member, pk) -> bool:
    """The member's own evaluation, with their account active (asked afresh on every request)."""
    return Evaluation.objects.filter(pk=pk, member_id=member.pk, member__user_id=request.user.pk,
                                     member__user__is_active=True).exists()


@member_required
@kept_page(_owns)
def detail(request, member, pk):
    evaluation = _own(member, pk, related=())

    def body():
        closes = selectors.appeal_window_closes(evaluation)
        return {
            "appeal_closes": closes, "panels": panels_for(request, evaluation),
            "spot_checks": selectors.spot_checks_of(evaluation) if evaluation.certificate_no else [],
            "can_appeal": (can_proceed(evaluation.appeal) and closes is not None
                           and not hasattr(evaluation, "appeal_record")),
            "provincial_review": _provincial_review(evaluation),
        }
    return _cached_page(request, evaluation, "evaluation/detail.html", body, member=member)


def _provincial_review(evaluation):
    """The provincial association's latest review, which the page shows while the application
    waits for acceptance (while it is pending, the accept step itself is not yet allowed)."""
    if not evaluation.rules.allows("accept", evaluation.state):
        return None
    return evaluation.provincial_reviews.select_related("association").order_by("-opened_at", "-id").first()


@member_required
def documents(request, member, pk):
    """提交资料: one form for every document row; one press keeps every chosen file (each file
    that passes its checks is stored even when another fails) and 提交 submits as well."""
    evaluation = _own(member, pk)
    editable = evaluation.documents_open
    handler_form = HandlerForm(initial={"handler_name": evaluation.handler_name,
                                        "handler_mobile": evaluation.handler_mobile})
    file_errors: dict[int, list[str]] = {}
    if request.method == "POST" and editable:
        action = request.POST.get("action")
        try:
            if action == "remove":
                submitted_id = _posted_id(request, "file_id")
                if submitted_id is not None:
                    services.evaluation_remove_document(evaluation_id=evaluation.pk, by=request.user,
                                                        submitted_id=submitted_id)
                return redirect("evaluation:documents", pk=pk)
            stored, file_errors = _store_chosen_files(request, evaluation)
            if action == "submit" and not file_errors:
                if can_proceed(evaluation.resubmit_supplement):
                    services.evaluation_resubmit_supplement(evaluation_id=evaluation.pk, by=request.user)
                    messages.success(request, "补充材料已提交。")
                    return redirect("evaluation:detail", pk=pk)
                handler_form = HandlerForm(request.POST)
                if handler_form.is_valid():
                    services.evaluation_submit(evaluation_id=evaluation.pk, by=request.user, **handler_form.cleaned_data)
                    messages.success(request, "申报材料已提交，评价办公室将在 10 个工作日内决定是否受理。")
                    return redirect("evaluation:detail", pk=pk)
            elif not file_errors:
                messages.success(request, f"已上传 {stored} 个文件。" if stored else "请先选择要上传的文件。")
                return redirect("evaluation:documents", pk=pk)
            if file_errors:
                messages.error(request, "部分文件未能上传，请按提示重新选择；其余文件已保存。")
        except EvaluationError as exc:
            messages.error(request, str(exc))
        evaluation = _own(member, pk)
        editable = evaluation.documents_open
    current = [d for d in evaluation.documents.all() if not d.superseded]
    rows = [(document, [d for d in current if d.document_id == document.pk], file_errors.get(document.pk, []))
            for document in evaluation.programme.documents.all()]
    online = evaluation.online_form
    return _page(request, evaluation, "evaluation/documents.html", member=member, rows=rows, editable=editable,
                 handler_form=handler_form, accept=document_validator.accept, online_form=online,
                 incomplete=online.filled().incomplete() if online else [])


@member_required
def application_form(request, member, pk, key=None):
    """申报表 (004 annex 2-2), one section at a time: 保存 keeps what was typed, valid or not,
    with each problem shown by its field; 保存并继续 goes on; the section list saves and
    moves; 添加一行 adds a row to the roster or the equipment list. After submission, or for
    anyone looking back, the whole form reads as submitted."""
    evaluation = _own(member, pk)
    if not evaluation.rules.application_form:
        raise Http404
    online = evaluation.online_form
    if online is None:  # a case recorded without the online form (before it existed): say so
        return _page(request, evaluation, "evaluation/application_form_view.html", member=member, online_form=None,
                     sections=[])
    if not evaluation.documents_open:
        return _page(request, evaluation, "evaluation/application_form_view.html", member=member, online_form=online,
                     sections=online.filled().display())
    key = key or _first_unfinished(online)
    if key not in SECTION_KEYS:
        raise Http404
    blank_rows = _posted_count(request.GET.get("rows"))
    if request.method == "POST":
        spec = section(key)
        answers = answers_from_post(spec, online.years, request.POST)
        try:
            saved = services.application_form_save(evaluation_id=evaluation.pk, section_key=key, answers=answers,
                                                   by=request.user)
        except EvaluationError as exc:
            messages.error(request, str(exc))
            return redirect("evaluation:detail", pk=pk)
        action, goto = request.POST.get("action"), request.POST.get("goto")
        if goto in SECTION_KEYS:
            return redirect("evaluation:form_section", pk=pk, key=goto)
        if action == "add_row":
            return redirect(reverse("evaluation:form_section", args=[pk, key]) + f"?rows={blank_rows + 1}#rows")
        if action == "next" and not saved.filled().state(key).complete:
            messages.warning(request, "已保存。本部分尚有未填或需更正的栏目，已在下方标出，请更正后继续。")
            return redirect("evaluation:form_section", pk=pk, key=key)
        if action == "next":
            following = SECTION_KEYS.index(key) + 1
            if following < len(SECTION_KEYS):
                return redirect("evaluation:form_section", pk=pk, key=SECTION_KEYS[following])
            return redirect("evaluation:documents", pk=pk)
        messages.success(request, "已保存，可稍后继续填写。")
        return redirect("evaluation:form_section", pk=pk, key=key)
    filled = online.filled(initial=prefill(member))
    current = filled.state(key, extra_blank=blank_rows)
    return _page(request, evaluation, "evaluation/application_form.html", member=member, online_form=online,
                 current=current, states=filled.states(), key=key, comment=online.section_comments.get(key, ""),
                 is_last=key == SECTION_KEYS[-1])


def _first_unfinished(online) -> str:
    return next((s.section.key for s in online.filled().states() if not s.complete), SECTION_KEYS[0])


def _posted_count(value) -> int:
    """How many blank rows to show (1 unless more were asked for, at most a page's worth)."""
    return min(_number(value) or 1, 20)


def _posted_id(request, name: str) -> int | None:
    return _number(request.POST.get(name))


def _number(value) -> int | None:
    """A non-negative whole number typed or posted, or None for anything else."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


def _store_uploads(request, row_ids, validator, store) -> tuple[int, dict[int, list[str]]]:
    """One press keeps every chosen file: each ``file_<row>`` upload that passes ``validator``
    is stored with ``store(row, upload)``; returns how many, and the refusals by row."""
    stored, errors = 0, {}
    for row in row_ids:
        for upload in request.FILES.getlist(f"file_{row}"):
            try:
                validator(upload)
            except ValidationError as exc:
                errors.setdefault(row, []).extend(exc.messages)
                continue
            store(row, upload)
            stored += 1
    return stored, errors


def _store_chosen_files(request, evaluation) -> tuple[int, dict[int, list[str]]]:
    return _store_uploads(
        request, evaluation.programme.documents.values_list("pk", flat=True), document_validator,
        lambda row, upload: services.evaluation_upload_document(evaluation_id=evaluation.pk, document_id=row,
                                                                file=upload, by=request.user))


@member_required
@kept_page(_owns)
def evidence(request, member, pk):
    """对照标准上传材料: per item of the standard, several files with captions; 保存 keeps every
    chosen file that passes its checks; 请确认提交 submits when every required item has evidence."""
    if request.method != "POST":
        evaluation = _own(member, pk, related=())
        return _cached_page(request, evaluation, "evaluation/evidence.html", lambda: {
            "editable": can_proceed(evaluation.submit_evidence), "file_errors": {},
            **selectors.evidence_progress(evaluation)}, member=member, accept=evidence_validator.accept,
            max_files=settings.DATA_UPLOAD_MAX_NUMBER_FILES)
    evaluation = _own(member, pk)
    editable = can_proceed(evaluation.submit_evidence)
    file_errors: dict[int, list[str]] = {}
    if editable:
        action = request.POST.get("action")
        try:
            if action == "remove":
                evidence_id = _posted_id(request, "evidence_id")
                if evidence_id is not None:
                    services.evidence_remove(evaluation_id=evaluation.pk, evidence_id=evidence_id, by=request.user)
                return redirect("evaluation:evidence", pk=pk)
            stored, file_errors = _store_evidence(request, evaluation)
            if not file_errors and action == "submit":
                services.evaluation_submit_evidence(evaluation_id=evaluation.pk, by=request.user)
                messages.success(request, "佐证材料已提交，评价办公室将组织专家评审。")
                return redirect("evaluation:detail", pk=pk)
            if not file_errors:
                messages.success(request, f"已保存 {stored} 个文件。" if stored else "已保存。")
                return redirect("evaluation:evidence", pk=pk)
            messages.error(request, "部分文件未能上传，请按提示重新选择；其余文件已保存。")
        except EvaluationError as exc:
            messages.error(request, str(exc))
        evaluation = _own(member, pk)
        editable = can_proceed(evaluation.submit_evidence)
    return _page(request, evaluation, "evaluation/evidence.html", member=member, editable=editable,
                 file_errors=file_errors, accept=evidence_validator.accept,
                 max_files=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
                 **selectors.evidence_progress(evaluation))


def _store_evidence(request, evaluation) -> tuple[int, dict[int, list[str]]]:
    return _store_uploads(
        request, selectors.items_of(evaluation.programme).values_list("pk", flat=True), evidence_validator,
        lambda row, upload: services.evidence_add(evaluation_id=evaluation.pk, criterion_id=row, file=upload,
                                                  caption=request.POST.get(f"caption_{row}", ""), by=request.user))


@member_required
def pay(request, member, pk):
    evaluation = _own(member, pk)
    if not can_proceed(evaluation.fee_paid):
        return redirect("evaluation:detail", pk=pk)
    return invoice_info(request, payable=evaluation, back_url=reverse("evaluation:detail", args=[pk]))


@member_required
def questionnaire(request, member, pk):
    evaluation = _own(member, pk)
    if not can_proceed(evaluation.submit_self_assessment):
        return redirect("evaluation:detail", pk=pk)
    questions = list(selectors.questionnaire_items(evaluation.programme).prefetch_related("options"))
    if request.method == "POST":
        chosen_ids = {q.pk: _posted_id(request, f"q{q.pk}") for q in questions}
        answers = {pk: option for pk, option in chosen_ids.items() if option is not None}
        try:
            services.evaluation_save_answers(evaluation_id=evaluation.pk, answers=answers, by=request.user)
            if request.POST.get("action") == "submit":
                services.evaluation_submit_self_assessment(evaluation_id=evaluation.pk, by=request.user)
                return redirect("evaluation:questionnaire_done", pk=pk)
            messages.success(request, "已保存，可稍后继续填写。")
        except EvaluationError as exc:
            messages.error(request, str(exc))
        return redirect("evaluation:questionnaire", pk=pk)
    chosen = dict(evaluation.answers.values_list("criterion_id", "option_id"))
    return _page(request, evaluation, "evaluation/questionnaire.html", member=member, questions=questions,
                 chosen=chosen, self_score=services.self_score(evaluation=evaluation),
                 maximum=selectors.questionnaire_maximum(evaluation.programme))


@member_required
def questionnaire_done(request, member, pk):
    """【操作完成】: the questionnaire is in; the institution waits for its result."""
    evaluation = _own(member, pk)
    return _page(request, evaluation, "evaluation/questionnaire_done.html", member=member)


@member_required
def appeal(request, member, pk):
    evaluation = _own(member, pk)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_appeal(evaluation_id=evaluation.pk, by=request.user, **form.cleaned_data)
        except EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "复议申请已提交，评价办公室将在 10 个工作日内答复。")
        return redirect("evaluation:detail", pk=pk)
    return _page(request, evaluation, "evaluation/appeal.html", member=member, form=form,
                 appeal_closes=selectors.appeal_window_closes(evaluation))


@member_required
def rectification(request, member, pk, spot_check_pk):
    """上报整改情况 (004 §22): what the check found and asked, every report sent so far, and,
    while one is awaited, the form for the written report."""
    evaluation = _own(member, pk)
    spot_check = get_object_or_404(evaluation.spot_checks.prefetch_related("reports"), pk=spot_check_pk)
    awaiting = spot_check.state == SpotCheck.State.AWAITING
    form = RectificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not awaiting:
        messages.info(request, f"该整改要求当前为“{spot_check.get_state_display()}”，无需再上报。")
    if request.method == "POST" and awaiting and form.is_valid():
        try:
            services.rectification_report_submit(spot_check_id=spot_check.pk, by=request.user, **form.cleaned_data)
        except EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "整改情况报告已提交，评价办公室验收后将通知您。")
        return redirect("evaluation:rectification", pk=pk, spot_check_pk=spot_check.pk)
    return _page(request, evaluation, "evaluation/rectification.html", member=member, spot_check=spot_check,
                 form=form if awaiting else None)


def notices(request):
    """Public: evaluations under notice, each with an objection form."""
    return render(request, "evaluation/notices.html", {"evaluations": selectors.under_notice()})


# Anonymous uploads of up to 20 MB: a handful per address and hour is plenty for a real objector.
OBJECTION_RATE = "5/h"


def objection(request, pk):
    evaluation = get_object_or_404(selectors.under_notice(), pk=pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    limited = request.method == "POST" and form_over_limit(request, form, group="objection", rate=OBJECTION_RATE)
    if request.method == "POST" and not limited and form.is_valid():
        services.objection_submit(evaluation_id=evaluation.pk, **form.cleaned_data)
        messages.success(request, "您的意见已提交评价办公室，感谢您的监督。")
        return redirect("evaluation:notices")
    return render(request, "evaluation/objection.html", {"evaluation": evaluation, "form": form})


@kept_public_page(params=("no", "q", "page"))
def registry(request):
    """Public result registry and certificate check (the certificate's QR code opens this)."""
    query = (request.GET.get("no") or request.GET.get("q") or "").strip()[:50]
    page = PeekPage(selectors.registry(query=query), request.GET.get("page"), 30, row_type=selectors.RegistryRow)
    return render(request, "evaluation/registry.html", {
        "page": page, "query": query, "changes": selectors.result_changes() if not query else []})


def brand_list(request):
    """医疗机构行业品牌价值榜（推荐）: the five-star institutions (004 §3)."""
    return render(request, "evaluation/brand_list.html", {"results": selectors.brand_list()})
