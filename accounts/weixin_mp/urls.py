from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .provider import WeixinMpProvider

urlpatterns = default_urlpatterns(WeixinMpProvider)
