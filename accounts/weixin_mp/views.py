from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.weixin.client import WeixinOAuth2Client
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter

# The official account's authorisation page, which only opens inside WeChat.
AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"


class WeixinMpOAuth2Client(WeixinOAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params):
        # WeChat requires the fragment on this page, or it refuses the request.
        return super().get_redirect_url(authorization_url, scope, extra_params) + "#wechat_redirect"


class WeixinMpOAuth2Adapter(WeixinOAuth2Adapter):
    provider_id = "weixin_mp"
    client_class = WeixinMpOAuth2Client

    @property
    def authorize_url(self):
        return self.get_provider().get_settings().get("AUTHORIZE_URL", AUTHORIZE_URL)


oauth2_login = OAuth2LoginView.adapter_view(WeixinMpOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WeixinMpOAuth2Adapter)
