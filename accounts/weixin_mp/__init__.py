"""WeChat sign-in inside WeChat on a phone (公众号网页授权), as an allauth provider beside the
desktop QR provider ("weixin"). WeChat's own browser cannot show the QR page; there the
official account's OAuth page signs in, with snsapi_userinfo so the profile carries the unionid
that ties it to the same person's desktop binding."""
