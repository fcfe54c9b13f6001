"""Evaluation programmes: one module each, declaring everything that differs between them.

A programme's rules object (``programmes.base.ProgrammeRules``) says who may apply, the state
graph it uses, its clocks, how its result is computed, its committee rule, its certificate
numbering and PDF templates, and the progress steps the institution sees. Pages, admin
buttons and scanners ask ``evaluation.rules`` (and ``can_proceed``); nothing else lists
states. A third programme is a third module registered here.

The rules read the database only through the objects they are given (an evaluation, a
member), never by importing models, so models can ask for their rules without a circle.
"""
from .base import ProgrammeRules
from .capability import CapabilityRules
from .credit import CreditRules

_registry: dict[str, ProgrammeRules] = {}


def register(rules: ProgrammeRules) -> None:
    if rules.kind in _registry and _registry[rules.kind] is not rules:
        raise ValueError(f"A programme {rules.kind!r} is already registered")
    _registry[rules.kind] = rules


def rules_for(kind: str) -> ProgrammeRules:
    return _registry[kind]


def registered() -> dict[str, ProgrammeRules]:
    return dict(_registry)


register(CreditRules())
register(CapabilityRules())
