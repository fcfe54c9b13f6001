"""gunicorn's settings for the portal: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

gunicorn names itself in a ``Server`` header on every answer, with no setting to turn it off;
a scanner learns the server software for free. The response's default headers are taken
without it (nginx, in front, adds none of its own when ``server_tokens off``)."""
from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _without_server
