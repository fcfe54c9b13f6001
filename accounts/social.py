"""WeChat sign-in for existing accounts (django-allauth's WeChat provider, see
config/settings/wechat.py). WeChat never creates an account: an unknown WeChat is sent to the
ordinary sign-in with what to do, and a signed-in person binds WeChat once, from 账号安全."""
import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

WECHAT_API = "https://api.weixin.qq.com"
NOT_BOUND = "该微信尚未绑定本站账号：请先用手机号或邮箱登录，在“账号安全 → 绑定微信”中绑定，以后即可微信扫码登录。"


class _RebasedSession(requests.Session):
    """Requests to WeChat's API sent to WECHAT_API_BASE instead (a proxy, or a local stand-in)."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(WECHAT_API):
            url = self.base + url[len(WECHAT_API):]
        return super().request(method, url, *args, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        """A WeChat bound to an account signs it in; binding is done signed in (process
        "connect"); anything else goes to the ordinary sign-in with what to do."""
        if sociallogin.is_existing or sociallogin.state.get("process") == "connect":
            return
        messages.info(request, NOT_BOUND)
        raise ImmediateHttpResponse(redirect("account_login"))

    def get_requests_session(self):
        if settings.WECHAT_API_BASE.rstrip("/") == WECHAT_API:
            return super().get_requests_session()
        return _RebasedSession(settings.WECHAT_API_BASE)
