"""Drive payments the way WeChat and the payer do."""
from django.urls import reverse

from payments import sandbox, services
from payments.models import Order, SandboxTrade
from tests.accounts.factories import PASSWORD

NOTIFY_URL = reverse("payments:wechat_notify")


def login(client, user):
    response = client.post(reverse("account_login"), {"login": user.mobile, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def dues_order(member) -> Order:
    email, mobile = member.invoice_contact()
    return services.order_for_payable(payable=member, invoice_email=email, invoice_mobile=mobile)


def start_wechat(order: Order) -> Order:
    return services.order_start_wechat(order_id=order.pk)


def paid_trade(order: Order) -> SandboxTrade:
    return sandbox.sandbox_pay(out_trade_no=order.out_trade_no)


def post_notification(client, resource: dict, **forge):
    """WeChat posts its notification: the portal keeps it and answers (a task applies it)."""
    headers, body = sandbox.build_notification(resource, **forge)
    return client.post(NOTIFY_URL, data=body, content_type="application/json", headers=headers)


def deliver(client, resource: dict, **forge):
    """WeChat posts its notification, then a worker applies what was kept (as the task does,
    whether or not the test runs the callbacks a commit would start)."""
    response = post_notification(client, resource, **forge)
    services.received_notifications_apply()
    return response


def pay_by_wechat(client, order: Order):
    start_wechat(order)
    trade = paid_trade(order)
    return deliver(client, sandbox.transaction_resource(trade))
