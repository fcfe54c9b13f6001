import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from core.certificates import CertificateFound
from core.fragments import cached_value

from .models import Answer, Assignment, Criterion, CriterionScore, Evaluation, Evidence, ResultChange
from .programmes import registered, rules_for
from .registry import RegistryPages


def evaluations_of(*, member) -> QuerySet[Evaluation]:
    return member.evaluations.select_related("programme").prefetch_related("deadlines")


EVALUATION_PAGE_RELATED = ("deadlines", "documents__document", "programme__documents")


def evaluation_for_member(*, member, pk: int, related=EVALUATION_PAGE_RELATED) -> Evaluation | None:
    """The member's own evaluation with the appeal in the same query, and the related rows
    its page needs (by default its clocks and documents; a cached page fetches them only when
    it is built, and the evaluation alone is kept until its tables change)."""
    def fetch():
        evaluations = member.evaluations.select_related("programme", "member__user", "appeal_record")
        return evaluations.prefetch_related(*related).filter(pk=pk).first()
    if related:
        return fetch()
    return cached_value("evaluation-of-member", f"{member.pk}:{pk}", fetch)


def assignments_of(*, user) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(evaluator=user).exclude(state=Assignment.State.RECUSED)
            .select_related("evaluation__member", "evaluation__programme")
            .prefetch_related("evaluation__deadlines"))


def under_notice() -> QuerySet[Evaluation]:
    return (Evaluation.objects.filter(state=Evaluation.State.PUBLIC_NOTICE)
            .select_related("member", "programme").prefetch_related("deadlines"))


@dataclass(frozen=True)
class RegistryRow:
    """One line of the public registry, read as plain values (a page of search results
    builds no model instances)."""

    member_name: str
    programme_name: str
    kind: str
    grade: str
    credit_grade: str | None  # the institution's credit grade valid today, shown beside stars
    certificate_no: str
    valid_until: dt.date | None
    state: str

    @property
    def result_label(self) -> str:
        return rules_for(self.kind).result_label(self.grade)


def registry(*, query: str = "") -> RegistryPages:
    """Published results, and expired or revoked ones marked as no longer valid, newest first,
    matched on the institution's name or the certificate number, as RegistryRow fields (page
    them with ``PeekPage(..., row_type=RegistryRow)``)."""
    return RegistryPages(query)


def brand_list() -> QuerySet[Evaluation]:
    """Five-star institutions with a valid result: recommended for the industry's brand-value
    list (004 §3)."""
    return (Evaluation.objects.filter(programme__kind="capability", state=Evaluation.State.PUBLISHED, grade="5星",
                                      valid_until__gte=timezone.localdate())
            .select_related("member").order_by("-published_at"))


def result_changes(limit: int = 20) -> list:
    """Published downgrades and revocations, newest first, each with its reason and the leading
    group's approval (004 §23: 处理结果将在协会官方网站公布)."""
    return list(ResultChange.objects.select_related("evaluation__member", "evaluation__programme")[:limit])


def spot_checks_of(evaluation: Evaluation) -> list:
    """The checks on a result with their rectification reports, newest first (the institution's page)."""
    return list(evaluation.spot_checks.prefetch_related("reports"))


def certificate_lookup(number: str):
    """An evaluation certificate by its number, for the public certificate check."""
    evaluation = (Evaluation.objects.select_related("member", "programme")
                  .filter(certificate_no=number.upper()).first())
    if evaluation is None:
        return None
    valid = evaluation.state == Evaluation.State.PUBLISHED
    start = timezone.localdate(evaluation.published_at) if evaluation.published_at else None
    return CertificateFound(
        kind=f"{evaluation.programme.name}证书", number=evaluation.certificate_no, holder=evaluation.member.name,
        valid_from=start, valid_until=evaluation.valid_until, valid=valid, status=evaluation.get_state_display(),
        details=[("评价等级", evaluation.grade)],
    )


def items_of(programme) -> QuerySet:
    """The items of the programme's standard (not its chapters), in reading order, each with
    its chapter: what evaluators score, and for credit what the self-assessment asks."""
    return (Criterion.objects.filter(programme=programme, parent__isnull=False).select_related("parent")
            .order_by("parent__position", "parent_id", "position", "id"))


def questionnaire_items(programme) -> QuerySet:
    """Items that carry self-assessment options (the credit questionnaire)."""
    return items_of(programme).filter(options__isnull=False).distinct()


def questionnaire_maximum(programme) -> Decimal:
    """The most points the self-assessment can give (each item's best option)."""
    best = questionnaire_items(programme).order_by().annotate(best=Max("options__points"))
    # Quantized: SQLite returns the aggregate without the column's two places.
    return sum((row.best or Decimal(0) for row in best), Decimal(0)).quantize(Decimal("0.01"))


def assignable_evaluations() -> QuerySet[Evaluation]:
    """Evaluations that may be given evaluators or experts now, by each programme's rules."""
    condition = Q(pk__in=[])
    for kind, rules in registered().items():
        condition |= Q(programme__kind=kind, state__in=rules.assignable_states)
    return Evaluation.objects.filter(condition).select_related("member", "programme")


def appeal_window_closes(evaluation: Evaluation):
    """The last day an appeal may be filed (None before a result was given)."""
    deadline = next((d for d in evaluation.deadlines.all() if d.kind == "appeal_window"), None)  # prefetched
    return deadline.due_on if deadline else None


def notice_held(evaluation: Evaluation) -> bool:
    """Under notice past its 7 working days, held only by pending objections."""
    notice = evaluation.deadlines.filter(kind="notice").first()
    return (can_proceed(evaluation.publish) and notice is not None and notice.met_at is None
            and notice.due_on < timezone.localdate())


def standard_chapters(*, programme, query: str = "") -> list:
    """The programme's standard for reading, chapter by chapter (two queries whatever its size);
    with ``query``, only the items whose requirement or guidance mention it, and their chapters."""
    items = Criterion.objects.filter(programme=programme, parent__isnull=False).order_by("position", "id")
    if query:
        items = items.filter(Q(text__icontains=query) | Q(guidance__icontains=query) | Q(code=query))
    chapters = (Criterion.objects.filter(programme=programme, parent__isnull=True).order_by("position", "id")
                .prefetch_related(Prefetch("items", queryset=items, to_attr="shown_items")))
    return [c for c in chapters if c.shown_items or not query]


def missing_evidence(evaluation: Evaluation) -> list:
    """Items of the standard that require evidence and have no current file for this evaluation."""
    having = Evidence.objects.filter(evaluation=evaluation, superseded_at__isnull=True).values("criterion_id")
    return list(items_of(evaluation.programme).filter(evidence_required=True).exclude(pk__in=having))


def evidence_progress(evaluation: Evaluation) -> dict:
    """Per chapter and overall: how many items have current evidence, each item with its files."""
    current = Evidence.objects.filter(evaluation=evaluation, superseded_at__isnull=True).order_by("uploaded_at", "id")
    chapters = list(Criterion.objects.filter(programme=evaluation.programme, parent__isnull=True)
                    .order_by("position", "id")
                    .prefetch_related(Prefetch("items", queryset=Criterion.objects.order_by("position", "id"),
                                               to_attr="all_items")))
    files: dict[int, list] = {}
    for evidence in current:
        files.setdefault(evidence.criterion_id, []).append(evidence)
    done = total = 0
    for chapter in chapters:
        for item in chapter.all_items:
            item.files = files.get(item.pk, [])
        chapter.done = sum(1 for item in chapter.all_items if item.files)
        chapter.total = len(chapter.all_items)
        done, total = done + chapter.done, total + chapter.total
    return {"chapters": chapters, "done": done, "total": total,
            "percent": round(done * 100 / total) if total else 0}


def scoring_sheet(assignment: Assignment) -> list[dict]:
    """One evaluator's scoring page, item by item (a constant number of queries): the item
    and its chapter, the institution's self-assessment answer (credit) or current evidence
    files (capability), the evaluator's saved score, and the other evaluators' submitted
    scores, which are shown only once this evaluator has submitted their own."""
    evaluation = assignment.evaluation
    answers = {a.criterion_id: a.option for a in Answer.objects.filter(evaluation=evaluation).select_related("option")}
    files: dict[int, list] = {}
    for evidence in Evidence.objects.filter(evaluation=evaluation, superseded_at__isnull=True).order_by("uploaded_at", "id"):
        files.setdefault(evidence.criterion_id, []).append(evidence)
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    peers: dict[int, list] = {}
    if assignment.state == Assignment.State.SUBMITTED:
        for score in (CriterionScore.objects.filter(assignment__evaluation=evaluation,
                                                    assignment__state=Assignment.State.SUBMITTED)
                      .exclude(assignment=assignment).select_related("assignment__evaluator")
                      .order_by("assignment_id")):
            peers.setdefault(score.criterion_id, []).append(score)
    return [{"item": item, "answer": answers.get(item.pk), "files": files.get(item.pk, []),
             "score": saved.get(item.pk), "peers": peers.get(item.pk, [])} for item in items_of(evaluation.programme)]


def states_allowing(step: str) -> list[str]:
    """Every state from which some programme allows ``step`` (its graph's sources)."""
    return sorted({state for rules in registered().values() for state in rules.graph.get(step, {})})
