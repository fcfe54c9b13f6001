"""Every model of the purchasing app, gathered for Django and for callers; each is defined with
its concern (suppliers, catalogue, rounds, orders)."""
from purchasing.catalogue.models import Product
from purchasing.orders.models import OrderLine, OrderProblem, PurchaseOrder, ServiceFee
from purchasing.rounds.models import Demand, DemandChange, Participation, Round, RoundItem
from purchasing.suppliers.models import Licence, LicenceKind, Supplier

__all__ = ["Demand", "DemandChange", "Licence", "LicenceKind", "OrderLine", "OrderProblem", "Participation", "Product",
           "PurchaseOrder", "Round", "RoundItem", "ServiceFee", "Supplier"]
