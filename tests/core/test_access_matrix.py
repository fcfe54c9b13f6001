"""Role × owner × URL: who may open what (SECURITY.md 8 and 18).

Nothing here is a hand-written list of URLs. Admin URLs come from the admin registry
(changelist, add, change, export) and site URLs from the URL resolver; private files come
from the download registry. A new URL or file field is covered the moment it exists: a site
URL whose arguments the test cannot fill, or a file field with no declared policy, fails the
test until it is classified here.
"""
import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from accounts.roles import ROLE_GROUP_NAMES
from core import downloads
from core.admin_exports import CheckedExportMixin
from evaluation.models import Assignment, Evaluation
from membership.models import Member

pytestmark = pytest.mark.django_db

STAFF_LOGINS = {"membership_staff": "13800000001", "evaluation_office": "13800000002", "finance": "13800000003",
                "site_editor": "13800000004", "education_office": "13800000005",
                "purchasing_office": "13800000006"}
DENIED = {302, 403, 404}

# Who among staff may download each private file: the permission a role needs. Owners (the
# member, the assigned evaluator, the recipient) are decided by the object itself.
FILE_POLICY = {
    ("membership.unitprofile", "practising_licence"): "membership.view_unitprofile",
    ("membership.unitprofile", "business_licence"): "membership.view_unitprofile",
    ("membership.individualprofile", "photo"): "membership.view_individualprofile",
    ("membership.membershipterm", "certificate"): "membership.view_membershipterm",
    ("membership.archivedfile", "file"): "membership.view_archivedfile",
    ("payments.banktransfer", "voucher"): "payments.view_banktransfer",
    ("payments.receipt", "pdf"): "payments.view_receipt",
    ("payments.invoice", "official_file"): "payments.view_invoice",
    ("payments.invoice", "red_file"): "payments.view_invoice",
    ("evaluation.evaluation", "report"): "evaluation.view_evaluation",
    ("evaluation.evaluation", "certificate"): "evaluation.view_evaluation",
    ("evaluation.evaluation", "plaque"): "evaluation.view_evaluation",
    ("evaluation.evaluation", "final_report"): "evaluation.view_evaluation",
    ("evaluation.evaluation", "acceptance_notice"): "evaluation.view_evaluation",
    ("evaluation.applicationform", "pdf"): "evaluation.view_evaluation",
    ("evaluation.submitteddocument", "file"): "evaluation.view_evaluation",
    ("evaluation.appeal", "attachment"): "evaluation.view_evaluation",
    ("evaluation.objection", "attachment"): "evaluation.view_objection",
    ("evaluation.supersededfile", "file"): "evaluation.view_evaluation",
    ("evaluation.evidence", "file"): "evaluation.view_evaluation",
    ("evaluation.rectificationreport", "file"): "evaluation.view_spotcheck",
    ("core.message", "attachment"): "core.view_message",
    ("experts.expert", "consent_letter"): "experts.view_expert",
    ("experts.appointment", "letter"): "experts.view_appointment",
    ("experts.expertfile", "file"): "experts.view_expert",
    ("experts.visit", "notice"): "experts.view_visit",
    ("experts.groupreport", "pdf"): "experts.view_groupreport",
    ("experts.meeting", "minutes_pdf"): "experts.view_meeting",
    ("experts.writtendecision", "document"): "experts.view_writtendecision",
    ("education.creditcertificate", "pdf"): "education.view_creditcertificate",
    ("education.transcript", "pdf"): "education.view_transcript",
    ("purchasing.licence", "file"): "purchasing.view_licence",
    ("purchasing.purchaseorder", "pdf"): "purchasing.view_purchaseorder",
}
PUBLIC_FILES = {("portal.article", "cover"), ("portal.articleattachment", "file"), ("portal.friendlylink", "logo")}
SIGNED_IN_FILES = {("evaluation.programmedocument", "template")}  # blank templates for any applicant


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _staff() -> dict[str, User]:
    assert set(STAFF_LOGINS) == set(ROLE_GROUP_NAMES), "every staff role is in the matrix"
    return {role: User.objects.get(mobile=mobile) for role, mobile in STAFF_LOGINS.items()}


def _status(client, url) -> int:
    return client.get(url).status_code


# --- admin ----------------------------------------------------------------------------

def _admin_urls(model, model_admin):
    info = model._meta.app_label, model._meta.model_name
    urls = {"changelist": reverse("admin:{}_{}_changelist".format(*info)),
            "add": reverse("admin:{}_{}_add".format(*info))}
    obj = model.objects.order_by("pk").first()
    if obj is not None:
        urls["change"] = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    if isinstance(model_admin, CheckedExportMixin):
        urls["export"] = reverse("admin:{}_{}_export".format(*info))
    return urls


def _admin_expected(user, model, model_admin, kind) -> bool:
    app, name = model._meta.app_label, model._meta.model_name
    view = user.has_perm(f"{app}.view_{name}") or user.has_perm(f"{app}.change_{name}")
    if kind in ("changelist", "change"):
        return view
    if kind == "add":
        request = RequestFactory().get("/")
        request.user = user
        return user.has_perm(f"{app}.add_{name}") and model_admin.has_add_permission(request)
    return view and user.has_perm(f"{app}.export_{name}")  # export


def test_staff_reach_exactly_the_admin_pages_their_role_allows_and_others_none(demo):
    outsiders = [User.objects.filter(member__isnull=False, is_staff=False).first(),
                 User.objects.filter(evaluator__isnull=False).first(), None]
    staff = {role: (user, _client(user)) for role, user in _staff().items()}  # each signed in once
    others = [(user, _client(user)) for user in outsiders]
    failures = []
    for model, model_admin in admin.site._registry.items():
        for kind, url in _admin_urls(model, model_admin).items():
            for role, (user, client) in staff.items():
                status = _status(client, url)
                allowed = _admin_expected(user, model, model_admin, kind)
                if (status == 200) != allowed or status >= 500:
                    failures.append(f"{role} {kind} {url}: {status}, expected {'200' if allowed else 'refusal'}")
            for user, client in others:
                status = _status(client, url)
                if status not in DENIED:
                    failures.append(f"{user or 'anonymous'} {kind} {url}: {status}")
    assert not failures, "\n".join(failures)


# --- site pages -----------------------------------------------------------------------

def _site_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name in ("admin",) or str(entry.pattern).startswith("accounts/"):
                continue
            ns = entry.namespace or namespace
            yield from _site_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry.pattern.converters.keys()


def _owned_objects():
    """An owner, the arguments that name their objects, and the evaluator's assignment."""
    evaluation = (Evaluation.objects.filter(documents__isnull=False, assignments__isnull=False)
                  .exclude(assignments__state=Assignment.State.RECUSED).select_related("member__user").first())
    owner = evaluation.member
    order = owner.user.orders.first() or Member.objects.get(user__mobile="13900000005").user.orders.first()
    assignment = evaluation.assignments.select_related("evaluator").first()
    return owner, evaluation, order, assignment


CAPABILITY = "capability"
VISIT = "visit"
MEETING = "meeting"
RECTIFICATION = "rectification"
REGISTRATION = "registration"
CHECKIN = "checkin"
ANSWER, MEMBER_ORDER, SUPPLIER_ORDER, SUPPLIER_FEE = "answer", "member order", "supplier order", "supplier fee"
SUPPLIER_PRODUCT = "supplier product"


def _arguments(name, owner, evaluation, order, assignment):
    """Arguments for a URL name, taken from the owner's objects; None for a public page's."""
    app = name.split(":")[0]
    by_name = {
        "experts:assignment": {"pk": assignment.pk},
        "membership:contact_edit": {"pk": owner.contacts.first().pk},
        "membership:contact_delete": {"pk": owner.contacts.first().pk},
        "membership:certificate": {"pk": getattr(owner.terms.first(), "pk", 0)},
        "core:message_detail": {"pk": owner.user.messages.first().pk},
        "membership:join_step": {"step": "category"},
        "evaluation:apply": {"kind": "credit"},
        "evaluation:form": CAPABILITY,  # the online 申报表: a capability evaluation's (below)
        "evaluation:form_section": CAPABILITY,
        "experts:invitation": VISIT,  # an on-site review's pages: a notified demo visit's (below)
        "experts:visit": VISIT,
        "experts:report": VISIT,
        "experts:challenge": VISIT,
        "experts:meeting": MEETING,  # a committee meeting: a member of that committee's (below)
        "evaluation:rectification": RECTIFICATION,  # a spot check's rectification: its institution's
        "evaluation:objection": None,  # public while under notice
        "evaluation:standard": None,  # 学习标准: public
        "portal:column": None,
        "portal:article": None,
        "education:project": None,  # the public 学分继教 column
        "education:register": None,  # anyone signed in may register for a published project
        "education:scan": None,  # a signed code: refusals are tested in education/attendance/tests
        "education:registration": REGISTRATION,  # a participant's own registration (below)
        "education:pay": REGISTRATION,
        "education:cancel": REGISTRATION,
        "education:quiz": REGISTRATION,
        "education:checkin": CHECKIN,  # the venue's screen: the 继教办's
        "purchasing:round": None,  # public: pooled quantities only, never a member's
        "purchasing:answer": ANSWER,  # a member asked to confirm a closed round (below)
        "purchasing:order": MEMBER_ORDER,  # an order: its member's page
        "purchasing:supplier_order": SUPPLIER_ORDER,  # and its supplier's
        "purchasing:fee_pay": SUPPLIER_FEE,  # a supplier's service fee
        "purchasing:product_withdraw": SUPPLIER_PRODUCT,  # a supplier's product (a POST)
    }
    if name in by_name:
        return by_name[name]
    if app == "evaluation":
        return {"pk": evaluation.pk}
    if app == "payments":
        return {"out_trade_no": order.out_trade_no}
    raise AssertionError(f"{name}: say in the access matrix whose object its arguments name")


def test_another_member_an_evaluator_staff_and_visitors_cannot_open_a_members_pages(demo):
    owner, evaluation, order, assignment = _owned_objects()
    intruder = Member.objects.exclude(pk=owner.pk).filter(state="active", kind="unit").first().user
    other_evaluator = User.objects.filter(evaluator__isnull=False).exclude(pk=assignment.evaluator_id).first()
    failures = []
    for name, arg_names in _site_patterns():
        if name == "core:download" or not arg_names:
            continue  # files: below; pages without arguments show the visitor's own records only
        arguments = _arguments(name, owner, evaluation, order, assignment)
        rightful = assignment.evaluator if name.startswith("experts:") else owner.user
        if arguments == CAPABILITY:
            drafting = Evaluation.objects.filter(programme__kind="capability", state="draft").first()
            arguments, rightful = {"pk": drafting.pk}, drafting.member.user
            if "key" in arg_names:
                arguments["key"] = "cover"
        if arguments == VISIT:
            arguments, rightful = _visit_arguments(name)
        if arguments == MEETING:
            from experts.models import Meeting

            meeting = Meeting.objects.filter(state=Meeting.State.CONVENED).first()
            arguments, rightful = {"pk": meeting.pk}, meeting.committee.members.first().user
        if arguments == RECTIFICATION:
            from evaluation.models import SpotCheck

            check = SpotCheck.objects.filter(state=SpotCheck.State.AWAITING).select_related(
                "evaluation__member__user").first()
            arguments = {"pk": check.evaluation_id, "spot_check_pk": check.pk}
            rightful = check.evaluation.member.user
        if arguments == REGISTRATION:
            from education.models import Registration

            registration = Registration.objects.filter(state="registered").select_related("user").first()
            arguments, rightful = {"pk": registration.pk}, registration.user
        if arguments == CHECKIN:
            from education.models import Session

            arguments = {"pk": Session.objects.first().pk, "phase": "in"}
            rightful = _staff()["education_office"]
        if arguments in (ANSWER, MEMBER_ORDER, SUPPLIER_ORDER, SUPPLIER_FEE, SUPPLIER_PRODUCT):
            arguments, rightful = _purchasing_arguments(arguments)
        if arguments is None or "step" in arguments or "kind" in arguments:
            continue
        url = reverse(name, kwargs=arguments)
        owner_status = _status(_client(rightful), url)
        post_only = owner_status == 405  # an action: intruders try it, the owner's side effect is not needed
        if owner_status >= 400 and not post_only:
            failures.append(f"owner refused {url}")
        for who in [intruder, other_evaluator, *_staff().values(), None]:
            if who == rightful:
                continue
            status = _client(who).post(url).status_code if post_only else _status(_client(who), url)
            if status not in DENIED:
                failures.append(f"{who or 'anonymous'} {url}: {status}")
    assert not failures, "\n".join(failures)


def _purchasing_arguments(kind):
    """A closed demo round's pending answer, a confirmed order (its member's and its supplier's
    pages) and a service fee owed by that supplier."""
    from purchasing.models import Participation, PurchaseOrder, ServiceFee

    order = PurchaseOrder.objects.select_related("member__user", "supplier__user", "round").first()
    if kind == ANSWER:
        answer = Participation.objects.filter(decision="pending").select_related("member__user").first()
        return {"pk": answer.round_id}, answer.member.user
    if kind == MEMBER_ORDER:
        return {"pk": order.pk}, order.member.user
    if kind == SUPPLIER_ORDER:
        return {"pk": order.pk}, order.supplier.user
    if kind == SUPPLIER_PRODUCT:
        return {"pk": order.supplier.products.first().pk}, order.supplier.user
    fee, _ = ServiceFee.objects.get_or_create(round=order.round, supplier=order.supplier,
                                              defaults={"base_amount": order.amount, "amount": 1})
    return {"pk": fee.pk}, order.supplier.user


def _visit_arguments(name):
    """A notified demo visit: its invitation opens for the invited expert, the visit and report
    for a member of the group, the challenge (a POST) for the institution."""
    from experts.models import Invitation, Visit

    visit = Visit.objects.filter(state=Visit.State.NOTIFIED).select_related("evaluation__member__user").first()
    seat = visit.invitations.filter(state=Invitation.State.CONFIRMED).select_related("expert__user").first()
    if name == "experts:invitation":
        return {"pk": seat.pk}, seat.expert.user
    if name == "experts:challenge":
        return {"pk": visit.pk}, visit.evaluation.member.user
    return {"pk": visit.pk}, seat.expert.user


# --- files ----------------------------------------------------------------------------

def test_private_files_open_for_their_owner_and_the_roles_that_need_them_only(demo):
    from django.apps import apps

    failures = []
    staff = _staff()
    members = list(User.objects.filter(member__isnull=False, is_staff=False)[:2])
    for label, fields in downloads._registry.items():
        model = apps.get_model(label)
        for field in fields:
            key = (label, field)
            assert key in FILE_POLICY or key in PUBLIC_FILES or key in SIGNED_IN_FILES, \
                f"{label}.{field}: declare who may download it in the access matrix"
            obj = model.objects.exclude(**{field: ""}).order_by("pk").first()
            if obj is None:
                continue
            url = downloads.file_url(obj, field)
            if key in PUBLIC_FILES:
                continue
            anonymous = _status(_client(), url)
            if anonymous not in DENIED:
                failures.append(f"anonymous {url}: {anonymous}")
            if key in SIGNED_IN_FILES:
                continue
            for role, user in staff.items():
                expected = user.has_perm(FILE_POLICY[key])
                status = _status(_client(user), url)
                if (status == 200) != expected:
                    failures.append(f"{role} {label}.{field}: {status}, expected {'200' if expected else '404'}")
            for user in members:
                status = _status(_client(user), url)
                if status == 200 and not obj.can_view_file(user, field):
                    failures.append(f"member {user.mobile} {label}.{field}: 200")
                if status == 200 and user.pk not in _owners(obj):
                    failures.append(f"member {user.mobile} opened another's {label}.{field}")
    assert not failures, "\n".join(failures)


def _owners(obj) -> set[int]:
    """Accounts that own a file's object (for the cross-member check)."""
    for path in ("member.user_id", "evaluation.member.user_id", "spot_check.evaluation.member.user_id",
                 "order.payer_id", "recipient_id", "award.user_id", "user_id", "supplier.user_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return {value}
    return set()


def _every_admin_url(model, model_admin):
    """Every URL a model's admin serves, its custom views included (transition buttons,
    imports): filled with the model's first row and, for buttons, each button's name."""
    obj = model.objects.order_by("pk").first()
    for pattern in model_admin.get_urls():
        if not pattern.name:
            continue
        args = set(pattern.pattern.converters)
        if args - {"object_id", "pk", "id", "name"}:
            raise AssertionError(f"{pattern.name}: say in the access matrix how to fill {args}")
        if args & {"object_id", "pk", "id"} and obj is None:
            continue
        names = [t.name for t in getattr(model_admin, "transitions", ())] if "name" in args else [None]
        for name in names:
            ids = args & {"object_id", "pk", "id"}
            kwargs = dict.fromkeys(ids, obj.pk) if ids else {}
            if name:
                kwargs["name"] = name
            yield reverse(f"admin:{pattern.name}", kwargs=kwargs)


def test_no_admin_url_of_a_model_opens_for_a_role_without_any_permission_on_it(demo):
    """Custom admin views (buttons, imports, history) refuse staff who may neither view nor
    change the model, like its changelist does."""
    failures = []
    for model, model_admin in admin.site._registry.items():
        app, name = model._meta.app_label, model._meta.model_name
        for role, user in _staff().items():
            if any(user.has_perm(f"{app}.{action}_{name}") for action in ("view", "change", "add", "delete")):
                continue
            client = _client(user)
            for url in _every_admin_url(model, model_admin):
                status = client.get(url).status_code
                if status not in DENIED:
                    failures.append(f"{role} {url}: {status}")
    assert not failures, "\n".join(failures)
