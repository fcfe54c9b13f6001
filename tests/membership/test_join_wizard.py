import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import TestCase
from django.urls import reverse

from core import sms
from membership import wizard
from membership.models import Contact, DraftUpload, JoinDraft, Member, UnitProfile
from tests.accounts.factories import UserFactory
from tests.core.files import jpeg_bytes, pdf_bytes, png_bytes, upload
from tests.membership.factories import IndividualTypeFactory, UnitMemberFactory, UnitTypeFactory, credit_code, id_number

pytestmark = pytest.mark.django_db


def step(name):
    return reverse("membership:join_step", args=[name])


UNIT = {
    "name": "上海某某口腔门诊部有限公司", "credit_code": credit_code(4242), "institution_type": "outpatient",
    "licence_no": "PDY12345", "legal_representative": "王强", "address": "上海市徐汇区漕溪北路 88 号",
    "opened_on": "2016-03-01", "beds": "0", "dental_chairs": "8",
}
CONTACT = {"name": "陈静", "position": "院长助理", "mobile": "13611112222", "email": "chen@clinic.cn"}
ACCOUNT = {"mobile": "13611113333", "email": "admin@clinic.cn", "password1": "Ya-2026-portal!", "password2": "Ya-2026-portal!"}


def account(client, **changes) -> dict:
    """The account step's fields with the SMS code the mobile received (获取验证码)."""
    data = {**ACCOUNT, **changes}
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(step("account"), {"mobile": data["mobile"], "email": data["email"], "send_code": "1"})
    code = re.search(r"验证码为 (\d{6})", next(text for to, text in reversed(sms.outbox) if to == data["mobile"]))[1]
    return {**data, "code": code}


def _licences():
    return {"practising_licence": upload("执业许可证.pdf", pdf_bytes()), "business_licence": upload("营业执照.jpg", jpeg_bytes())}


def _through_guide(client, membership_type):
    assert client.post(step("category"), {"membership_type": membership_type.pk})["Location"] == step("guide")
    assert client.post(step("guide"), {"agree": "on"})["Location"]


def test_unit_registration_takes_the_seeds_steps_and_waits_for_review(client, mailoutbox):
    unit_type = UnitTypeFactory()
    _through_guide(client, unit_type)
    assert client.post(step("unit"), {**UNIT, **_licences()})["Location"] == step("contact")
    assert client.post(step("contact"), CONTACT)["Location"] == step("account")
    response = client.post(step("account"), account(client))
    assert response["Location"] == reverse("membership:join_done")

    member = Member.objects.get()
    assert (member.state, member.kind, member.name, member.credit_code) == ("submitted", "unit", UNIT["name"], UNIT["credit_code"])
    assert member.user.mobile == "13611113333" and member.user.check_password(ACCOUNT["password1"])
    assert client.session[SESSION_KEY] == str(member.user.pk)
    unit = UnitProfile.objects.get(member=member)
    assert unit.practising_licence_name == "执业许可证.pdf" and unit.business_licence_name == "营业执照.jpg"
    assert unit.practising_licence.read().startswith(b"%PDF")
    assert Contact.objects.get(member=member, is_primary=True).name == "陈静"
    assert not DraftUpload.objects.exists()
    done = client.get(response["Location"]).content.decode()
    assert "入会注册成功" in done and "会员中心" in done


def test_individual_registration_goes_straight_to_paying(client):
    individual = IndividualTypeFactory()
    _through_guide(client, individual)
    person = {"name": "赵敏", "gender": "female", "id_number": id_number(77), "title": "主治医师",
              "employer": "四川大学华西口腔医院", "specialty": "口腔修复", "photo": upload("me.png", png_bytes())}
    r = client.post(step("person"), person)
    assert r["Location"] == step("account")
    response = client.post(step("account"), account(client))
    assert response["Location"] == reverse("membership:dues")
    member = Member.objects.get()
    assert member.state == Member.State.APPROVED and member.individual.photo_name == "me.png"


def test_steps_cannot_be_skipped(client):
    UnitTypeFactory()
    assert client.get(step("contact"))["Location"] == step("category")


def test_the_guide_must_be_agreed(client):
    unit_type = UnitTypeFactory()
    client.post(step("category"), {"membership_type": unit_type.pk})
    response = client.post(step("guide"), {})
    assert "请阅读会员服务指南并勾选同意" in response.content.decode()


def test_bad_credit_code_and_mobile_are_explained_at_their_fields(client):
    _through_guide(client, UnitTypeFactory())
    good = UNIT["credit_code"]
    bad = good[:-1] + ("1" if good[-1] == "0" else "0")
    response = client.post(step("unit"), {**UNIT, "credit_code": bad, **_licences()})
    html = response.content.decode()
    assert "统一社会信用代码校验位不正确" in html.split('data-field="credit_code"')[1].split("data-field=")[0]
    client.post(step("unit"), {**UNIT, **_licences()})
    response = client.post(step("contact"), {**CONTACT, "mobile": "1361111222"})
    assert "请输入 11 位手机号码" in response.content.decode().split('data-field="mobile"')[1]


def test_valid_uploads_are_kept_when_another_field_fails(client):
    _through_guide(client, UnitTypeFactory())
    response = client.post(step("unit"), {**UNIT, "name": "", **_licences()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已上传：执业许可证.pdf" in html and "已上传：营业执照.jpg" in html
    assert 'value="上海市徐汇区漕溪北路 88 号"' in html
    # Fix the name without choosing the files again.
    assert client.post(step("unit"), UNIT)["Location"] == step("contact")
    assert set(DraftUpload.objects.values_list("field", flat=True)) == {"practising_licence", "business_licence"}


def test_a_disguised_licence_is_refused_and_the_other_upload_is_kept(client):
    _through_guide(client, UnitTypeFactory())
    files = {"practising_licence": upload("licence.pdf", b"<html>fake</html>"),
             "business_licence": upload("营业执照.jpg", jpeg_bytes())}
    html = client.post(step("unit"), {**UNIT, **files}).content.decode()
    assert "不是有效的 PDF 文件" in html.split('data-field="practising_licence"')[1].split("data-field=")[0]
    assert "已上传：营业执照.jpg" in html
    assert list(DraftUpload.objects.values_list("field", flat=True)) == ["business_licence"]


def test_going_back_loses_nothing(client):
    _through_guide(client, UnitTypeFactory())
    client.post(step("unit"), {**UNIT, **_licences()})
    half = {**CONTACT, "email": "not-finished"}
    assert client.post(step("contact"), {**half, "back": "1"})["Location"] == step("unit")
    unit_page = client.get(step("unit")).content.decode()
    assert UNIT["name"] in unit_page and "已上传：执业许可证.pdf" in unit_page
    contact_page = client.get(step("contact")).content.decode()
    assert 'value="not-finished"' in contact_page and 'value="陈静"' in contact_page


def test_a_login_or_credit_code_already_registered_is_refused(client):
    existing = UnitMemberFactory()
    UserFactory(mobile="13611113333")
    _through_guide(client, UnitTypeFactory())
    html = client.post(step("unit"), {**UNIT, "credit_code": existing.credit_code, **_licences()}).content.decode()
    assert "该统一社会信用代码已注册会员" in html
    client.post(step("unit"), {**UNIT, **_licences()})
    client.post(step("contact"), CONTACT)
    # Before the number is proven, nothing says it is taken: the same answers as for a new number.
    html = client.post(step("account"), ACCOUNT).content.decode()
    assert "该手机号已注册" not in html
    html = client.post(step("account"), {**ACCOUNT, "code": "123456"}).content.decode()
    assert "该手机号已注册" not in html and "请先获取短信验证码" in html
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(step("account"), {"mobile": "13611113333", "send_code": "1"}).content.decode()
    assert "验证码已发送至 136****3333" in sent and "已注册" not in sent
    code = re.search(r"验证码为 (\d{6})", sms.outbox[-1][1])[1]
    html = client.post(step("account"), {**ACCOUNT, "code": f"{(int(code) + 1) % 10**6:06d}"}).content.decode()
    assert "短信验证码不正确" in html and "已注册" not in html
    html = client.post(step("account"), account(client)).content.decode()
    assert "该手机号已注册" in html  # said to the number's owner only
    assert Member.objects.count() == 1


def test_weak_or_mismatched_passwords_are_refused(client):
    _through_guide(client, UnitTypeFactory())
    client.post(step("unit"), {**UNIT, **_licences()})
    client.post(step("contact"), CONTACT)
    html = client.post(step("account"), account(client, password2="something-else")).content.decode()
    assert "两次输入的密码不一致" in html
    html = client.post(step("account"), {**account(client), "password1": "12345678", "password2": "12345678"}).content.decode()
    assert 'data-field="password1"' in html and "invalid-feedback" in html.split('data-field="password1"')[1].split("data-field=")[0]
    assert not Member.objects.exists()


def test_the_wizard_shows_progress(client):
    UnitTypeFactory()
    html = client.get(step("category")).content.decode()
    for label in ("选择会员类别", "阅读入会须知", "单位登记表", "联系人登记表", "设置账号密码", "注册成功"):
        assert label in html
    assert 'aria-current="step"' in html


def test_abandoned_drafts_are_purged_after_30_days_with_their_files(client):
    import datetime as dt

    from django.utils import timezone

    from membership.models import JoinDraft
    from membership.services import join_drafts_purge

    _through_guide(client, UnitTypeFactory())
    client.post(step("unit"), {**UNIT, **_licences()})
    stored = DraftUpload.objects.first().file
    assert join_drafts_purge(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert join_drafts_purge(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert not JoinDraft.objects.exists()
    assert not stored.storage.exists(stored.name)


def test_looking_at_the_wizard_creates_no_draft(client):
    UnitTypeFactory()
    for _ in range(3):
        assert client.get(step("category")).status_code == 200
    assert not JoinDraft.objects.exists()
    client.post(step("category"), {"membership_type": UnitTypeFactory().pk})
    assert JoinDraft.objects.count() == 1


def test_registration_checks_are_rate_limited_per_address(client):
    existing = UnitMemberFactory()
    _through_guide(client, UnitTypeFactory())
    allowed = int(wizard.REVEALING_RATE.split("/")[0])
    for _ in range(allowed):
        html = client.post(step("unit"), {**UNIT, "credit_code": existing.credit_code}).content.decode()
        assert "该统一社会信用代码已注册会员" in html
    html = client.post(step("unit"), {**UNIT, "credit_code": existing.credit_code}).content.decode()
    assert "操作过于频繁" in html
    assert "已注册" not in html  # over the limit, nothing is revealed
    # Another address is not affected.
    other = client.post(step("unit"), {**UNIT, "credit_code": existing.credit_code}, REMOTE_ADDR="10.0.0.9")
    assert "操作过于频繁" not in other.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_presses_of_the_last_step_register_once_and_the_second_is_told(client):
    from django.test import Client

    from tests.concurrency import at_once, needs_postgresql

    needs_postgresql()
    _through_guide(client, UnitTypeFactory())
    client.post(step("unit"), {**UNIT, **_licences()})
    client.post(step("contact"), CONTACT)
    cookie = client.cookies["sessionid"].value
    proven = account(client)

    def press():
        other = Client()
        other.cookies["sessionid"] = cookie
        response = other.post(step("account"), proven)
        return response.status_code, response.content.decode()

    outcomes = at_once(press, 3)
    assert Member.objects.count() == 1
    assert sum(status == 302 for status, _ in outcomes) >= 1
    # The others finished after the winner had logged in and replaced the session: they are
    # told so, never shown an error of the server's.
    for status, html in outcomes:
        assert status == 302 or (status == 400 and "已在其他窗口或上一次点击中完成" in html)


def test_the_institution_type_starts_with_please_choose(client):
    _through_guide(client, UnitTypeFactory())
    html = client.get(step("unit")).content.decode()
    select = html.split('name="institution_type"')[1].split("</select>")[0]
    assert '<option value="" selected>请选择</option>' in select
    refused = client.post(step("unit"), {**UNIT, "institution_type": "", **_licences()}).content.decode()
    assert "这个字段是必填项" in refused.split('data-field="institution_type"')[1].split("data-field=")[0]
