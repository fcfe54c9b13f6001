import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_page_is_in_simplified_chinese_with_packaged_bootstrap(client):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "/static/vendor/bootstrap/js/bootstrap.bundle.min.js" in html
    assert "登录" in html
    assert "京ICP备" in html
    for cdn in ("cdn.", "unpkg", "googleapis", "bootcdn"):
        assert cdn not in html


def test_bootstrap_is_served_from_the_installed_package(client):
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/bootstrap/css/bootstrap.min.css")
    assert found and "site-packages" in found


def test_login_errors_appear_at_the_form(client):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    login_block = html.split('data-field="login"')[1].split('data-field="password"')[0]
    assert "这个字段是必填项" in login_block
    assert "is-invalid" in login_block


def test_signed_in_header_shows_name_unread_count_and_logout(client, user):
    from core.models import Message

    Message.objects.create(recipient=user, subject="欢迎", body="内容")
    client.post(reverse("account_login"), {"login": user.mobile, "password": PASSWORD})
    html = client.get("/").content.decode()
    assert user.name in html
    assert 'data-testid="unread-count">1<' in html
    assert "退出登录" in html


def test_flash_messages_are_shown_after_logout(client, user):
    client.post(reverse("account_login"), {"login": user.mobile, "password": PASSWORD})
    response = client.post(reverse("account_logout"), follow=True)
    assert "alert" in response.content.decode()


def test_password_reset_page_is_styled_and_in_chinese(client):
    html = client.get(reverse("account_reset_password")).content.decode()
    assert "密码" in html and "btn btn-primary" in html and "form-control" in html
