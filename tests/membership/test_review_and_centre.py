import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.downloads import file_url
from membership import services
from membership.exceptions import AlreadyDecided
from membership.models import ArchivedFile, Contact, Member, MembershipTerm, ProfileChange
from payments.exceptions import NothingToPay
from payments.models import Order
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes, upload
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order, login, pay_by_wechat

pytestmark = pytest.mark.django_db


def staff_in(group):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def transition_url(member, name):
    return reverse("admin:membership_member_transition", args=[member.pk, name])


def test_staff_see_the_queue_with_uploads_and_approve(client, django_capture_on_commit_callbacks):
    member = UnitMemberFactory()
    login(client, staff_in("会员部"))
    queue = client.get(reverse("admin:membership_member_changelist") + "?state__exact=submitted").content.decode()
    assert member.name in queue
    change = client.get(reverse("admin:membership_member_change", args=[member.pk])).content.decode()
    assert "审核通过" in change and "退回修改" in change and "不予通过" in change
    assert file_url(member.unit, "practising_licence") in change
    with django_capture_on_commit_callbacks(execute=True):
        client.post(transition_url(member, "approve"))
    member.refresh_from_db()
    assert member.state == Member.State.APPROVED
    log = StateLog.objects.for_(member).get()
    assert (log.source_state, log.state, log.transition) == ("submitted", "approved", "approve")
    assert member.user.messages.filter(subject__contains="审核通过").exists()


def test_return_needs_a_comment_which_the_applicant_sees_and_answers(client):
    member = UnitMemberFactory()
    staff = staff_in("会员部")
    login(client, staff)
    page = client.post(transition_url(member, "return"), {"reason": ""})
    assert page.status_code == 422 and "这个字段是必填项" in page.content.decode()
    client.post(transition_url(member, "return"), {"reason": "营业执照不清晰，请重新上传"})
    member.refresh_from_db()
    assert member.state == Member.State.RETURNED
    assert StateLog.objects.for_(member).get().description == "营业执照不清晰，请重新上传"

    client.logout()
    login(client, member.user)
    centre = client.get(reverse("membership:centre")).content.decode()
    assert "营业执照不清晰，请重新上传" in centre and "修改并重新提交" in centre
    old_file = member.unit.business_licence.name
    response = client.post(reverse("membership:correct"), {
        "name": member.name, "credit_code": member.credit_code, "institution_type": "outpatient",
        "licence_no": "PDY99", "legal_representative": "张伟", "address": "北京市朝阳区", "opened_on": "2015-05-01",
        "beds": "0", "dental_chairs": "10", "business_licence": upload("新营业执照.pdf", pdf_bytes()),
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == Member.State.SUBMITTED and member.unit.dental_chairs == 10
    assert member.unit.business_licence_name == "新营业执照.pdf"
    archived = ArchivedFile.objects.get(member=member)
    assert archived.file.name == old_file  # superseded, kept


def test_reject_records_the_reason(client):
    member = UnitMemberFactory()
    login(client, staff_in("会员部"))
    client.post(transition_url(member, "reject"), {"reason": "非医疗机构"})
    member.refresh_from_db()
    assert member.state == Member.State.REJECTED and member.review_comment == "非医疗机构"


def test_finance_and_evaluation_office_cannot_decide_applications(client):
    member = UnitMemberFactory()
    for group in ("财务", "评价办公室"):
        login(client, staff_in(group))
        assert client.post(transition_url(member, "approve")).status_code == 403
        client.logout()
    member.refresh_from_db()
    assert member.state == Member.State.SUBMITTED


def test_renewal_extends_from_the_previous_end_with_one_row_per_term(client, django_capture_on_commit_callbacks):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    first = MembershipTerm.objects.get(member=member)
    assert first.start == timezone.localdate()
    member.refresh_from_db()
    number = member.member_no
    with pytest.raises(NothingToPay):  # a year ahead, nothing is due yet
        dues_order(member)
    renewal_opens = timezone.make_aware(dt.datetime.combine(first.end - dt.timedelta(days=30), dt.time(9)))
    with time_machine.travel(renewal_opens), django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    second = MembershipTerm.objects.filter(member=member).order_by("start").last()
    assert MembershipTerm.objects.filter(member=member).count() == 2
    assert second.start == first.end + dt.timedelta(days=1)
    assert second.certificate_no.endswith("-02")
    member.refresh_from_db()
    assert member.member_no == number and member.state == Member.State.ACTIVE


def test_reminders_30_and_7_days_before_the_end_are_sent_once_and_expiry_happens_once(
    client, django_capture_on_commit_callbacks
):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    term = MembershipTerm.objects.get(member=member)
    at = lambda days_before: timezone.make_aware(dt.datetime.combine(term.end - dt.timedelta(days=days_before), dt.time(9)))  # noqa: E731
    with django_capture_on_commit_callbacks(execute=True):
        assert services.memberships_remind(now=at(40)) == 0
        assert services.memberships_remind(now=at(30)) == 1
        assert services.memberships_remind(now=at(29)) == 0
        assert services.memberships_remind(now=at(7)) == 1
        assert services.memberships_remind(now=at(3)) == 0
        assert services.memberships_expire(now=at(0)) == 0
        assert services.memberships_expire(now=at(-1)) == 1
        assert services.memberships_expire(now=at(-2)) == 0
    member.refresh_from_db()
    assert member.state == Member.State.EXPIRED
    assert member.user.messages.filter(subject__contains="届满").count() == 3


def _days_before_end(term, days):
    return timezone.make_aware(dt.datetime.combine(term.end - dt.timedelta(days=days), dt.time(9)))


def test_a_member_who_already_renewed_gets_no_reminder(client, django_capture_on_commit_callbacks):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    first = MembershipTerm.objects.get(member=member)
    with time_machine.travel(_days_before_end(first, 40)), django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    now = timezone.make_aware(dt.datetime.combine(first.end - dt.timedelta(days=5), dt.time(9)))
    assert services.memberships_remind(now=now) == 0


def test_another_member_cannot_open_a_voucher_invoice_certificate_or_order(client, django_capture_on_commit_callbacks):
    owner = UnitMemberFactory(state=Member.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(owner))
    order = Order.objects.get()
    term = MembershipTerm.objects.get()
    with time_machine.travel(_days_before_end(term, 40)):
        other_order = dues_order(owner)  # a second (renewal) order, paid by transfer
    from decimal import Decimal

    from payments.services import order_submit_transfer
    from tests.core.files import jpeg_bytes

    transfer = order_submit_transfer(order_id=other_order.pk, by=owner.user, voucher=upload("v.jpg", jpeg_bytes()),
                                     account_name=owner.name, amount=Decimal("2000.00"),
                                     transferred_on=timezone.localdate(), registered_name=owner.name)
    urls = [
        file_url(transfer, "voucher"), file_url(order.receipt, "pdf"), file_url(term, "certificate"),
        file_url(owner.unit, "practising_licence"),
        reverse("membership:certificate", args=[term.pk]),
        reverse("payments:order_detail", args=[order.out_trade_no]),
        reverse("payments:status", args=[order.out_trade_no]),
        reverse("payments:transfer", args=[other_order.out_trade_no]),
        reverse("membership:contact_edit", args=[owner.contacts.get().pk]),
    ]
    intruder = UnitMemberFactory(state=Member.State.ACTIVE)
    login(client, intruder.user)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.logout()
    login(client, owner.user)
    for url in urls:
        assert client.get(url).status_code in (200, 302), url  # the transfer page redirects: already sent


def test_contacts_keep_exactly_one_primary(client):
    member = UnitMemberFactory(state=Member.State.ACTIVE)
    login(client, member.user)
    client.post(reverse("membership:contacts"), {"name": "周杰", "position": "财务", "mobile": "13500000001",
                                                 "email": "zhou@clinic.cn", "is_primary": "on"})
    assert member.contacts.get(is_primary=True).name == "周杰"
    old = member.contacts.get(name="李娜")
    response = client.post(reverse("membership:contact_delete", args=[member.contacts.get(is_primary=True).pk]), follow=True)
    assert "主要联系人不能删除" in response.content.decode()
    client.post(reverse("membership:contact_delete", args=[old.pk]))
    assert list(member.contacts.values_list("name", flat=True)) == ["周杰"]
    bad = client.post(reverse("membership:contacts"), {"name": "吴", "mobile": "123", "email": "x"})
    assert "请输入 11 位手机号码" in bad.content.decode()
    assert Contact.objects.filter(member=member).count() == 1


def test_changing_the_registered_name_goes_to_review_other_details_apply_at_once(client):
    member = UnitMemberFactory(state=Member.State.ACTIVE)
    login(client, member.user)
    data = {"name": "新名称口腔医院有限公司", "credit_code": member.credit_code, "institution_type": "hospital",
            "licence_no": "PDY1", "legal_representative": "张伟", "address": "北京市海淀区", "beds": "20",
            "dental_chairs": "30"}
    client.post(reverse("membership:profile_edit"), data)
    member.refresh_from_db()
    assert member.name != "新名称口腔医院有限公司" and member.unit.dental_chairs == 30
    change = ProfileChange.objects.get(member=member)
    services.profile_change_decide(change_id=change.pk, by=staff_in("会员部"), accept=True)
    member.refresh_from_db()
    assert member.name == "新名称口腔医院有限公司"
    with pytest.raises(AlreadyDecided):
        services.profile_change_decide(change_id=change.pk, by=None, accept=False)


def test_member_centre_costs_the_same_queries_with_many_payments(client, django_assert_max_num_queries,
                                                                 django_capture_on_commit_callbacks):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    login(client, member.user)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("membership:centre")).status_code == 200
    for _ in range(4):  # four renewals, each paid when it falls due
        latest = MembershipTerm.objects.filter(member=member).order_by("-end").first()
        with time_machine.travel(_days_before_end(latest, 40)), django_capture_on_commit_callbacks(execute=True):
            pay_by_wechat(client, dues_order(member))
    login(client, member.user)  # the session idled out while time travelled
    with django_assert_max_num_queries(12):
        assert client.get(reverse("membership:centre")).status_code == 200
    with django_assert_max_num_queries(12):
        html = client.get(reverse("membership:payments")).content.decode()
    assert html.count('data-testid="receipt-link"') == 5 and html.count("社会团体会费票据，预计") == 5


def test_public_certificate_check(client, django_capture_on_commit_callbacks):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    client.logout()
    term = MembershipTerm.objects.get()
    html = client.get(reverse("membership:certificate_check") + f"?no={term.certificate_no}").content.decode()
    assert member.name in html and "有效" in html
    html = client.get(reverse("membership:certificate_check") + "?no=NOPE").content.decode()
    assert "未查到证书编号" in html


def test_membership_staff_export_members_to_excel(client):
    import io

    from openpyxl import load_workbook

    member = UnitMemberFactory()
    login(client, staff_in("会员部"))
    url = reverse("admin:membership_member_export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    xlsx_choice = next(value for value, label in form.fields["format"].choices if str(label).lower() == "xlsx")
    response = client.post(url, {"format": xlsx_choice, "resource": "0", **{f"memberresource_{f}": "on" for f in
                                 ("member_no", "name", "credit_code", "kind", "membership_type", "state", "mobile",
                                  "created_at")}})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert member.name in values and "待审核" in values
