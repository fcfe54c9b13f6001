"""The smallest WSGI application, for running gunicorn as configured in a test."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
