from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "purchasing"
    verbose_name = "医药产品团购"
    role_permissions = {
        "purchasing_office": [
            "purchasing.view_supplier", "purchasing.change_supplier", "purchasing.view_licence",
            "purchasing.view_product", "purchasing.change_product",
            "purchasing.view_round", "purchasing.add_round", "purchasing.change_round", "purchasing.export_round",
            "purchasing.view_rounditem", "purchasing.add_rounditem", "purchasing.change_rounditem",
            "purchasing.delete_rounditem", "purchasing.view_participation", "purchasing.view_purchaseorder",
            "purchasing.view_orderproblem", "purchasing.view_servicefee",
        ],
        "finance": ["purchasing.view_servicefee"],
    }

    def ready(self):
        from core.downloads import register_downloadable
        from payments.payable import register_payable

        from .models import Licence, PurchaseOrder, ServiceFee
        from .orders import tasks  # noqa: F401  (registers the Celery tasks services enqueue by name)
        from .orders.services import service_fee_due, service_fee_paid

        register_downloadable(Licence, ["file"])
        register_downloadable(PurchaseOrder, ["pdf"])
        register_payable(ServiceFee, due=service_fee_due,
                         paid=lambda *, payable, order, by: service_fee_paid(fee_id=payable.pk, order=order, by=by))
