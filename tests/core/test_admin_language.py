"""Every admin page reads in Chinese: a walk over every registered admin's list, add, change
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
