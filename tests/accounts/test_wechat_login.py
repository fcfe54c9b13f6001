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
OPENID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"  # the person, as the website application knows them
MP_OPENID = "oMP_9xk2Lq0Zt7hMZOPfL2Mxyz"  # the same person, as the official account knows them
# Each app's secret, the code it accepts, and the openid it gives; "mp-stranger" is someone else.
APPS = {"wx-test-app": ("wx-test-secret", {"scanned-code": OPENID}),
        "wx-test-mp": ("wx-mp-secret", {"mp-code": MP_OPENID, "mp-stranger": "oMP_stranger"})}
UNIONIDS = {OPENID: "union-1", MP_OPENID: "union-1", "oMP_stranger": "union-2"}


def wechat(request):
    """WeChat's API: the token for a code, then the person's profile (with the unionid that is
    the same for one person across the apps of one 开放平台 account)."""
    query = {**request["query"], **request["form"]}  # allauth posts the code exchange as a form
    if "access_token" in query and "openid" in query:
        openid = query["openid"]
        return 200, {"openid": openid, "nickname": "黄建国", "sex": 1, "headimgurl": "", "unionid": UNIONIDS[openid]}
    secret, codes = APPS.get(query.get("appid"), ("", {}))
    if query.get("code") not in codes or query.get("secret") != secret:
        return 200, {"errcode": 40029, "errmsg": "invalid code"}
    openid = codes[query["code"]]
    return 200, {"access_token": f"ACCESS-{openid}", "expires_in": 7200, "refresh_token": "REFRESH", "openid": openid,
                 "scope": "snsapi_login", "unionid": UNIONIDS[openid]}


@pytest.fixture
def api(settings):
    # As WeChat answers: UTF-8 text labelled text/plain (allauth decodes the nickname for that).
    with serving(wechat, content_type="text/plain", ensure_ascii=False) as (address, provider):
        settings.WECHAT_API_BASE = address
        yield provider


IN_WECHAT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.50"


def in_wechat(client, process="login", code="mp-code"):
    """On a phone, inside WeChat: press 微信登录, agree on the official account's page, come back."""
    start = client.post(reverse("weixin_mp_login") + f"?process={process}", headers={"user-agent": IN_WECHAT})
    location = start["Location"]
    assert start.status_code == 302 and location.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
    assert location.endswith("#wechat_redirect")
    query = parse_qs(urlsplit(location.removesuffix("#wechat_redirect")).query)
    assert query["appid"] == ["wx-test-mp"] and query["scope"] == ["snsapi_userinfo"]
    return client.get(reverse("weixin_mp_callback"), {"code": code, "state": query["state"][0]},
                      headers={"user-agent": IN_WECHAT})


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


def test_inside_wechat_the_login_page_offers_the_official_account_instead_of_the_qr_code(api):
    page = Client().get(reverse("account_login"), headers={"user-agent": IN_WECHAT}).content.decode()
    assert "微信登录" in page and "微信扫码登录" not in page and reverse("weixin_mp_login") in page
    desktop = Client().get(reverse("account_login")).content.decode()
    assert "微信扫码登录" in desktop and reverse("weixin_mp_login") not in desktop


def test_a_person_bound_on_the_desktop_signs_in_inside_wechat_on_the_phone(api):
    owner = UserFactory()
    desk = Client()
    desk.force_login(owner)
    scan(desk, process="connect")

    phone = Client()
    in_wechat(phone)
    assert get_user(phone) == owner
    linked = SocialAccount.objects.get(provider="weixin_mp")
    assert (linked.user, linked.uid) == (owner, MP_OPENID)
    later = Client()  # and next time directly, through its own binding
    in_wechat(later)
    assert get_user(later) == owner and SocialAccount.objects.count() == 2


def test_inside_wechat_an_unbound_person_is_told_to_bind_and_nothing_is_created(api):
    UserFactory()
    SocialAccount.objects.create(user=UserFactory(), provider="weixin", uid=OPENID, extra_data={"unionid": "union-1"})
    phone = Client()
    response = in_wechat(phone, code="mp-stranger")  # someone else's WeChat (another unionid)
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert not get_user(phone).is_authenticated and not SocialAccount.objects.filter(provider="weixin_mp").exists()


def test_binding_inside_wechat_works_and_a_wechat_bound_to_another_account_is_refused(api):
    owner, other = UserFactory(), UserFactory()
    phone = Client()
    phone.force_login(owner)
    page = phone.get(reverse("socialaccount_connections"), headers={"user-agent": IN_WECHAT}).content.decode()
    assert reverse("weixin_mp_login") in page
    in_wechat(phone, process="connect")
    assert SocialAccount.objects.get(provider="weixin_mp").user == owner

    desk = Client()
    desk.force_login(other)  # the same WeChat, scanned while signed in to another account
    response = scan(desk, process="connect")
    assert response.status_code == 302 and response["Location"] == reverse("socialaccount_connections")
    assert "已绑定本站的另一个账号" in desk.get(response["Location"]).content.decode()
    assert not SocialAccount.objects.filter(user=other).exists()
