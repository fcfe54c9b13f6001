"""Every admin page staff use renders with the demo data in it (one module, so the demo is
seeded once for both walks).

Every admin page reads in Chinese: a walk over every registered admin's list, add, change
and history pages (with the demo data, so each shows real rows) fails on any English word a
person would read, outside the allow-list of domain terms (PDF, AAA, SHA-256 …). Addresses,
email addresses, file names, codes and what staff typed into a field are data, not words."""
import re
from contextlib import suppress
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_every_changelist_and_change_page_renders_for_the_superuser(client, demo):
    user = User.objects.get(mobile="13800000000")
    client.force_login(user)
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        obj = model.objects.order_by("pk").last()
        if obj is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, info


def test_demo_has_a_member_in_every_state_and_their_logins_work(client, demo):
    from membership.models import Member

    states = set(Member.objects.values_list("state", flat=True))
    assert {"submitted", "returned", "rejected", "approved", "active", "expired", "suspended"} <= states
    active = Member.objects.filter(state="active").first()
    assert active.terms.get().certificate
    awaiting = Member.objects.get(user__mobile="13900000006")
    assert awaiting.user.orders.get().state == "awaiting_verification"
    client.post(reverse("account_login"), {"login": "13900000005", "password": "portal-demo-2026"})
    assert "会员资格有效" in client.get(reverse("membership:centre")).content.decode()


def test_demo_has_an_evaluation_in_every_state(demo):
    from evaluation.models import Evaluation
    from evaluation.programmes import rules_for

    credit = Evaluation.objects.filter(programme__kind="credit")
    assert set(credit.values_list("state", flat=True)) == rules_for("credit").states()
    published = list(credit.filter(state="published"))  # the star applicants hold credit grades too
    assert published and all(e.certificate and e.plaque for e in published)
    capability = Evaluation.objects.filter(programme__kind="capability")
    assert set(capability.values_list("state", flat=True)) == {
        "draft", "submitted", "returned", "rejected", "evidence", "expert_review", "on_site", "committee", "published"}
    stars = capability.filter(state="published")
    assert sorted(stars.values_list("grade", flat=True)) == ["3星", "4星", "5星"] and all(e.certificate for e in stars)
    assert capability.filter(state="submitted", provincial_reviews__decision="pending").exists()
    from experts.models import Visit

    assert set(Visit.objects.values_list("state", flat=True)) == {"inviting", "ready", "notified", "reported"}
    assert Visit.objects.filter(state="notified", report__state="signing").exists()
    from experts.models import Meeting

    held = Meeting.objects.get(state="closed")  # the star cases' meeting, minutes signed
    assert held.minutes_pdf and held.items.count() == 3
    upcoming = Meeting.objects.filter(state="convened")
    assert {m.committee.kind for m in upcoming} == {"leading_group", "capability"}
    assert all(m.items.get().evaluation.state == "committee" for m in upcoming)
    assert capability.filter(state="submitted", provincial_reviews__decision="agreed").exists()


def test_the_admin_index_shows_each_roles_queues_with_counts(client, demo):
    from membership.models import Member

    client.force_login(User.objects.get(mobile="13800000001"))  # 会员部
    html = client.get(reverse("admin:index")).content.decode()
    waiting = Member.objects.filter(state="submitted").count()
    assert f'data-queue="待审核入会申请">{waiting}<' in html
    assert "待核实对公转账" not in html  # finance's queue
    client.force_login(User.objects.get(mobile="13800000003"))  # 财务
    html = client.get(reverse("admin:index")).content.decode()
    assert 'data-queue="待核实对公转账">1<' in html and "待审核入会申请" not in html


def test_the_office_finds_new_expert_applications_in_a_counted_queue(client, demo):
    from experts.models import Expert

    client.force_login(User.objects.get(mobile="13800000002"))  # 评价办公室
    html = client.get(reverse("admin:index")).content.decode()
    waiting = Expert.objects.filter(state="applied").count()
    assert waiting >= 1 and f'data-queue="待审核专家入库申请">{waiting}<' in html


def test_a_record_with_nothing_left_to_edit_offers_no_save_and_logs_read_in_chinese(client, demo):
    from evaluation.models import Evaluation

    client.force_login(User.objects.get(mobile="13800000002"))  # 评价办公室
    published = Evaluation.objects.filter(state="published").first()
    html = client.get(reverse("admin:evaluation_evaluation_change", args=[published.pk])).content.decode()
    assert 'name="_save"' not in html
    assert "办理记录" in html and "公示中 → 已发布" in html and "Transition" not in html
    assert "在站点上查看" not in html
    submitted = Evaluation.objects.filter(state="submitted").first()
    html = client.get(reverse("admin:evaluation_evaluation_change", args=[submitted.pk])).content.decode()
    assert 'name="_save"' in html  # per-file comments are still to be written


def test_each_queue_links_to_the_list_of_exactly_what_it_counts(client, demo):
    from core.admin_queues import _queues

    client.force_login(User.objects.get(mobile="13800000000"))
    for queue in _queues:
        response = client.get(queue.url())
        assert response.status_code == 200 and "e=1" not in response.get("Location", ""), queue.label
        assert response.context["cl"].result_count == queue.count(), queue.label




# Domain terms and names that stay as they are.
ALLOWED = {
    "PDF", "OFD", "AAA", "SHA", "ICP", "PDCA", "SMS", "CSV", "XLSX", "Excel", "Word", "JPG", "JPEG", "PNG", "API",
    "WeChat", "CNMIA", "CAP", "ISO", "JCI",  # the accreditations an institution may hold (CAP, ISO, JCI)
}
# Django writes these image descriptions in English whatever the language (the search box's
# magnifier, the yes/no icons of boolean columns).
DJANGO_ALT_TEXTS = {"Search", "True", "False"}
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
DATA = re.compile(r"\S+@\S+|\w+://\S+|www\.\S+|\S+\.(?:pdf|png|jpe?g|docx?|xlsx?|ofd|zip)\b|/[\w/.\-?=&%]+|"
                  r"\b[0-9a-f]{16,}\b|\b\w*\d\w*\b", re.I)


class _Reader(HTMLParser):
    """The text a person reads: text outside scripts, styles, code and form inputs, the
    labels of buttons, and the attributes read aloud or shown on hover."""

    SKIP = {"script", "style", "code", "textarea", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self._skipping += 1
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")
        self.parts.extend(attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a) and attrs[a] not in DJANGO_ALT_TEXTS)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    reader = _Reader()
    reader.feed(html)
    text = DATA.sub(" ", " ".join(reader.parts))
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]{2,}", text) if w not in ALLOWED}


def _pages():
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        with suppress(NoReverseMatch):
            yield reverse("admin:{}_{}_add".format(*info))
        obj = model._default_manager.order_by("-pk").first()
        if obj is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            yield reverse("admin:{}_{}_history".format(*info), args=[obj.pk])


def test_every_admin_page_reads_in_chinese(client, demo):
    client.force_login(User.objects.get(mobile="13800000000"))  # the superuser sees every page
    found = {}
    for url in [reverse("admin:index"), *_pages()]:
        response = client.get(url)
        if response.status_code != 200:
            continue
        words = english_words(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())


def test_the_reader_finds_english_labels_and_leaves_data_alone():
    html = ('<label>Description</label><input type="submit" value="Save"><input name="q" value="hello">'
            '<span title="Delete">删除</span><td>chen@clinic.cn · https://www.nhsa.gov.cn · 许可证.pdf · AAA</td>'
            '<img alt="True"><code>0a1b2c3d4e5f6a7b8c9d</code><script>var x = "English";</script>')
    assert english_words(html) == {"Description", "Save", "Delete"}
