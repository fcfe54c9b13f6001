"""WeChat sign-in for existing accounts, through django-allauth's WeChat provider against a local
stand-in of WeChat's OAuth API (code → access_token → userinfo): an unknown WeChat creates no
account and is told to bind first; a signed-in person binds once; afterwards scanning signs in;
a forged callback signs no one in."""
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.core.provider_servers import serving

from .factories import UserFactory

pytestmark = pytest.mark.django_db
OPENID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"


def wechat(request):
    """WeChat's API: the token for a code, then the person's profile."""
    query = {**request["query"], **request["form"]}  # allauth posts the code exchange as a form
    if "access_token" in query and "openid" in query:
        return 200, {"openid": OPENID, "nickname": "黄建国", "sex": 1, "headimgurl": "", "unionid": "union-1"}
    if query.get("code") != "scanned-code" or query.get("secret") != "wx-test-secret":
        return 200, {"errcode": 40029, "errmsg": "invalid code"}
    return 200, {"access_token": "ACCESS", "expires_in": 7200, "refresh_token": "REFRESH", "openid": OPENID,
                 "scope": "snsapi_login", "unionid": "union-1"}


@pytest.fixture
def api(settings):
    # As WeChat answers: UTF-8 text labelled text/plain (allauth decodes the nickname for that).
    with serving(wechat, content_type="text/plain", ensure_ascii=False) as (address, provider):
        settings.WECHAT_API_BASE = address
        yield provider


def scan(client, process="login", code="scanned-code"):
    """Press the WeChat button, then come back from WeChat's QR page with a code."""
    start = client.post(reverse("weixin_login") + f"?process={process}")
    assert start.status_code == 302 and start["Location"].startswith("https://open.weixin.qq.com/connect/qrconnect")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    return client.get(reverse("weixin_callback"), {"code": code, "state": state})


def test_an_unknown_wechat_creates_nothing_and_is_told_to_bind_first(api):
    users = User.objects.count()
    client = Client()
    response = scan(client)
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "尚未绑定本站账号" in client.get(response["Location"]).content.decode()
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert not get_user(client).is_authenticated


def test_a_signed_in_person_binds_once_then_scanning_signs_in(api):
    owner = UserFactory()
    client = Client()
    client.force_login(owner)
    assert "绑定微信" in client.get(reverse("socialaccount_connections")).content.decode()
    scan(client, process="connect")
    binding = SocialAccount.objects.get()
    assert (binding.user, binding.provider, binding.uid) == (owner, "weixin", OPENID)

    phone = Client()
    scan(phone)
    assert get_user(phone) == owner
    # The login page offers it; the bound WeChat shows on 账号安全 and can be removed there.
    assert "微信扫码登录" in Client().get(reverse("account_login")).content.decode()
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "黄建国" in page and "解除绑定" in page


def test_a_forged_or_replayed_callback_signs_no_one_in(api):
    owner = UserFactory()
    SocialAccount.objects.create(user=owner, provider="weixin", uid=OPENID, extra_data={})
    client = Client()
    assert not get_user(client).is_authenticated
    client.get(reverse("weixin_callback"), {"code": "scanned-code", "state": "made-up"})
    assert not get_user(client).is_authenticated
    scan(client, code="someone-elses-code")
    assert not get_user(client).is_authenticated
