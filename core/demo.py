"""Demo data shared by every app's seeder: the password and the login record printed."""
from dataclasses import dataclass

DEMO_PASSWORD = "portal-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str = DEMO_PASSWORD
