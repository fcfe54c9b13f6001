"""WeChat sign-in for existing accounts (django-allauth's WeChat providers, see
config/settings/wechat.py). WeChat never creates an account: an unknown WeChat is sent to the
ordinary sign-in with what to do, and a signed-in person binds WeChat once, from 账号安全. A
binding made one way (the QR code on a desktop, or the official account inside WeChat) lets the
same person in the other way: WeChat gives both apps the same unionid."""
import logging

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

logger = logging.getLogger(__name__)
WECHAT_API = "https://api.weixin.qq.com"
WECHAT_PROVIDERS = ("weixin", "weixin_mp")
BOUND_ELSEWHERE = "该微信已绑定本站的另一个账号，不能再绑定到当前账号；如需更换，请先在原账号中解除绑定。"
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
        """A WeChat bound to an account signs it in, through either app once bound through one;
        binding is done signed in (process "connect"), and a WeChat bound to another account is
        refused; anything else goes to the ordinary sign-in with what to do."""
        if sociallogin.is_existing and sociallogin.state.get("process") != "connect":
            return  # a bound WeChat signing in
        bound = _bound_the_other_way(sociallogin.account)
        if sociallogin.state.get("process") == "connect":
            if bound is not None and bound.user_id != request.user.pk:
                messages.error(request, BOUND_ELSEWHERE)
                raise ImmediateHttpResponse(redirect("socialaccount_connections"))
            return
        if bound is not None:
            sociallogin.connect(request, bound.user)  # the person confirmed it when binding the other way
            logger.info("account %s: WeChat %s linked through unionid of its %s binding", bound.user_id,
                        sociallogin.account.provider, bound.provider)
            return
        messages.info(request, NOT_BOUND)
        raise ImmediateHttpResponse(redirect("account_login"))

    def get_requests_session(self):
        if settings.WECHAT_API_BASE.rstrip("/") == WECHAT_API:
            return super().get_requests_session()
        return _RebasedSession(settings.WECHAT_API_BASE)


def _bound_the_other_way(account: SocialAccount) -> SocialAccount | None:
    """The same person's binding through the other WeChat app (same unionid), if any."""
    unionid = account.extra_data.get("unionid") if isinstance(account.extra_data, dict) else None
    if not unionid or account.provider not in WECHAT_PROVIDERS:
        return None
    return (SocialAccount.objects.filter(provider__in=WECHAT_PROVIDERS, extra_data__unionid=unionid)
            .exclude(provider=account.provider).select_related("user").first())
