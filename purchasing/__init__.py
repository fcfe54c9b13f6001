"""Group purchasing (医药产品团购): the association qualifies suppliers, lists their products at
negotiated tiered prices, pools its members' demand into rounds, and passes confirmed orders to
the supplier. It sells nothing itself; members pay suppliers directly and stay free to buy
elsewhere, and no member ever sees another's quantities or orders (an association may not
organise price coordination among its members). Concerns: ``suppliers`` ← ``catalogue`` ←
``rounds`` ← ``orders``; ``pricing`` holds the tier arithmetic, ``exceptions`` the error tree."""
