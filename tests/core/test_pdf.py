import io

import pytest
from pypdf import PdfReader

from core.pdf import BASE_URL, StaticOnlyURLFetcher, render_pdf


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_renders_chinese_text_that_can_be_extracted():
    pdf = render_pdf("pdf/notice.html", {"title": "会员证书", "paragraphs": ["北京某某口腔门诊部为本会理事单位。"]})
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "会员证书" in text
    assert "北京某某口腔门诊部为本会理事单位" in text


def test_pdf_embeds_a_cjk_font():
    pdf = render_pdf("pdf/notice.html", {"title": "证书", "paragraphs": []})
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in fonts), fonts


def test_values_are_escaped_not_interpreted_as_html():
    pdf = render_pdf("pdf/notice.html", {"title": "<b>x</b>", "paragraphs": ['<img src="http://example.com/x.png">']})
    assert "<b>x</b>" in _text(pdf)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/static/css/portal.css",
        "file:///etc/passwd",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../../config/settings/base.py",
        f"{BASE_URL}static/no-such-file.css",
    ],
)
def test_the_fetcher_reaches_nothing_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_serves_the_projects_static_files():
    response = StaticOnlyURLFetcher().fetch(f"{BASE_URL}static/pdf/document.css")
    assert b"Noto" in response.read()
    assert response.content_type == "text/css"


def test_the_fetcher_serves_the_hashed_names_that_production_templates_link(tmp_path, settings):
    """Under the manifest storage ``{% static %}`` names ``document.<hash>.css``, which only the
    collected folder holds: without it every production PDF lost its stylesheet and fonts."""
    from django.core.management import call_command
    from django.templatetags.static import static

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    hashed = static("pdf/document.css")
    assert hashed != "/static/pdf/document.css"

    response = StaticOnlyURLFetcher().fetch(f"{BASE_URL}{hashed.lstrip('/')}")

    assert b"Noto" in response.read()
    with pytest.raises(ValueError):  # a collected name outside the folder is still refused
        StaticOnlyURLFetcher().fetch(f"{BASE_URL}static/..%2F..%2Fetc/passwd")
