"""Parts of the institution's evaluation page that other apps contribute (the on-site review
from the experts app), so that evaluation shows them without importing those apps.

A panel is ``render(request, evaluation) -> str`` (HTML, empty when it has nothing to show),
registered once at start-up (an AppConfig's ``ready``)."""
from collections.abc import Callable

_panels: list[Callable] = []


def register_panel(render: Callable) -> None:
    if render not in _panels:
        _panels.append(render)


def panels_for(request, evaluation) -> list[str]:
    return [html for render in _panels if (html := render(request, evaluation))]
