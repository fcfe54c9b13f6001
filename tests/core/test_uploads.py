import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.uploads import RandomUploadPath, UploadValidator, original_name
from tests.core.files import jpeg_bytes, pdf_bytes, png_bytes, upload

validate = UploadValidator(kinds=("pdf", "jpeg", "png"), max_bytes=2 * 1024 * 1024)


@pytest.mark.parametrize(
    ("name", "content"),
    [("执业许可证.pdf", pdf_bytes), ("licence.PNG", png_bytes), ("photo.jpg", jpeg_bytes), ("photo.jpeg", jpeg_bytes)],
)
def test_genuine_files_are_accepted(name, content):
    validate(upload(name, content()))


def _refusal(name, content, validator=validate) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validator(upload(name, content))
    return excinfo.value


def test_html_named_png_is_refused_for_its_content():
    error = _refusal("licence.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    assert error.code == "file_content"
    assert "不是有效的 PNG 文件" in error.messages[0]


def test_pdf_named_png_is_refused_because_name_and_content_disagree():
    assert _refusal("scan.png", pdf_bytes()).code == "file_content"


def test_double_extension_executable_is_refused():
    error = _refusal("licence.pdf.exe", b"MZ\x90\x00" + b"\x00" * 100)
    assert error.code == "file_extension"
    assert "请上传 PDF、JPG、PNG 文件" in error.messages[0]


def test_svg_is_refused_even_named_as_svg_or_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
    assert _refusal("seal.svg", svg).code == "file_extension"
    assert _refusal("seal.png", svg).code == "file_content"


def test_oversize_file_is_refused_with_both_sizes():
    big = png_bytes() + b"\x00" * (2 * 1024 * 1024)
    error = _refusal("big.png", big)
    assert error.code == "file_too_large"
    assert "2.0 MB" in error.messages[0]


def test_empty_file_is_refused():
    assert _refusal("empty.pdf", b"").code == "file_empty"


def test_decompression_bomb_is_refused_by_pixel_count():
    bomb = png_bytes(size=(10_000, 5_000), mode="1")  # 50 million pixels in a few KB
    assert len(bomb) < 200_000
    error = _refusal("bomb.png", bomb)
    assert error.code == "image_too_large"


def test_truncated_image_is_refused():
    assert _refusal("broken.png", png_bytes()[:40]).code == "image_invalid"


def test_kinds_narrow_per_field():
    images_only = UploadValidator(kinds=("jpeg", "png"))
    assert _refusal("a.pdf", pdf_bytes(), images_only).code == "file_extension"


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadValidator(kinds=("exe",))


def test_storage_names_are_random_and_never_the_uploaders():
    path = RandomUploadPath("membership/licences")
    first = path(None, "../../etc/passwd 执业许可证.PDF")
    second = path(None, "../../etc/passwd 执业许可证.PDF")
    assert first != second
    assert first.startswith("membership/licences/") and first.endswith(".pdf")
    assert "passwd" not in first and ".." not in first and "执业" not in first
    assert path(None, "noext").count(".") == 0
    assert "<" not in path(None, "x.<script>")


def test_original_name_is_kept_safe_for_display():
    assert original_name(upload("../a b/执业 许可证.pdf", b"x")) == "执业_许可证.pdf"


class LicenceForm(forms.Form):
    unit_name = forms.CharField(label="单位名称")
    licence = forms.FileField(label="执业许可证", validators=[validate])


def test_a_refused_upload_shows_its_message_at_the_field_and_keeps_what_was_typed():
    form = LicenceForm(data={"unit_name": "北京某某口腔门诊部"},
                       files={"licence": upload("licence.png", b"<html></html>")})
    assert not form.is_valid()
    assert list(form.errors) == ["licence"]
    html = str(form)
    field_block = html.split('data-field="licence"')[1]
    assert "不是有效的 PNG 文件" in field_block
    assert 'value="北京某某口腔门诊部"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert "is-invalid" in field_block


@pytest.mark.django_db
def test_a_staged_file_nobody_came_back_for_is_removed_after_a_day():
    import datetime as dt
    import uuid

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.models import StagedUpload
    from core.staging import staged_uploads_purge

    kept = StagedUpload(token=uuid.uuid4(), field="consent_letter", original_name="同意函.pdf")
    kept.file.save("a.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    stored = kept.file.name
    assert staged_uploads_purge(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert staged_uploads_purge(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not StagedUpload.objects.exists() and not kept.file.storage.exists(stored)
