from allauth.socialaccount.providers.weixin.provider import WeixinProvider

from .views import WeixinMpOAuth2Adapter


class WeixinMpProvider(WeixinProvider):
    id = "weixin_mp"
    name = "微信公众号"
    oauth2_adapter_class = WeixinMpOAuth2Adapter

    def get_default_scope(self):
        return ["snsapi_userinfo"]


provider_classes = [WeixinMpProvider]
