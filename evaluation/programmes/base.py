"""What a programme declares. The engine (models, services, scanners, pages) reads these."""
import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

# Every state an evaluation of any programme can be in (the Evaluation FSM's choices).
DRAFT, SUBMITTED, RETURNED, REJECTED = "draft", "submitted", "returned", "rejected"
AWAITING_PAYMENT, SELF_ASSESSMENT, UNDER_REVIEW, SUPPLEMENT = ("awaiting_payment", "self_assessment",
                                                                "under_review", "supplement")
EVIDENCE, EXPERT_REVIEW, ON_SITE = "evidence", "expert_review", "on_site"
INITIAL_RESULT, APPEALED, COMMITTEE, PUBLIC_NOTICE = "initial_result", "appealed", "committee", "public_notice"
PUBLISHED, EXPIRED, REVOKED = "published", "expired", "revoked"
UNRATED = "unrated"  # capability: no star level was given (final once the appeal is over)

# What a clock does when it runs out (the scanner calls the matching service).
ESCALATE = "escalate"  # tell the office: its own deadline passed
CLOSE_APPEAL_WINDOW = "close_appeal_window"  # no appeal came: the result moves on
END_NOTICE = "end_notice"  # publish, unless an objection is pending


# The steps every programme shares: applying and the office's acceptance decision, and what
# can happen to a published result. A programme's graph is these plus its own middle part.
APPLICATION = {
    "submit": {DRAFT: SUBMITTED, RETURNED: SUBMITTED},
    "return_for_correction": {SUBMITTED: RETURNED},
    "reject": {SUBMITTED: REJECTED},
}
AFTER_PUBLICATION = {
    "publish": {PUBLIC_NOTICE: PUBLISHED},
    "downgrade": {PUBLISHED: PUBLISHED},
    "extend": {PUBLISHED: PUBLISHED},
    "revoke": {PUBLISHED: REVOKED},
    "expire": {PUBLISHED: EXPIRED},
}


@dataclass(frozen=True)
class Clock:
    """A working-day clock: how long, whom it binds (reminded before it runs out), and what
    happens when it runs out."""

    working_days: int
    binds: str  # "office" | "member" (reminded before it runs out) | "public" (nobody to remind)
    on_expiry: str = ESCALATE


SEND_BACK = "send_back"  # the decision when no option has a majority of the ballots cast


@dataclass(frozen=True)
class CommitteeRule:
    """When a committee may decide on a case, and how its ballots decide it.

    Quorum counts distinct members present and eligible (not recused): at least
    ``min_present`` and, if ``odd``, an odd number (credit, 001 §9); with
    ``majority_of_committee``, more than half of the committee's current members (capability;
    the seed is silent, this is the portal's rule). A decision needs more than half of the
    ballots cast; anything else, a tie included, sends the case back (known in advance)."""

    min_present: int
    odd: bool
    max_meetings: int
    description: str
    majority_of_committee: bool = False

    @property
    def explanation(self) -> str:
        """The rule as the agenda and the admin state it, known before anyone votes."""
        return (f"{self.description} 每项由出席且无须回避的委员不记名投票，获所投选票过半数的选项通过；"
                f"无选项过半数（含平票）时退回重新评价。")

    def quorum_refusal(self, *, present: int, committee_size: int = 0) -> str:
        """Why ``present`` distinct eligible members cannot decide (empty: they can)."""
        if present < self.min_present or (self.odd and present % 2 == 0):
            return f"出席且无须回避的委员应不少于 {self.min_present} 人{'且为单数' if self.odd else ''}（当前 {present} 人）。"
        if self.majority_of_committee and present * 2 <= committee_size:
            return f"出席且无须回避的委员应超过委员会现任委员（{committee_size} 人）的半数（当前 {present} 人）。"
        return ""

    @staticmethod
    def decision(ballots: dict[str, int]) -> str:
        """The option holding more than half of the ballots cast, else SEND_BACK."""
        cast = sum(ballots.values())
        return next((option for option, n in ballots.items() if n * 2 > cast), SEND_BACK)


@dataclass(frozen=True)
class Step:
    label: str
    states: frozenset


@dataclass
class ProgrammeRules(ABC):
    """The base every programme fills in. ``graph`` maps a transition name to
    ``{source state: target state}``: a transition is possible exactly where its programme's
    graph has it (the Evaluation FSM asks ``allows`` and ``target``)."""

    kind: str = ""
    graph: dict[str, dict[str, str]] = field(default_factory=dict)
    clocks: dict[str, Clock] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    committee: CommitteeRule | None = None
    certificate_prefix: str = ""
    certificate_template: str = ""
    plaque_template: str = ""
    documents_states: frozenset = frozenset()  # where the institution may change its uploads
    scoring_states: frozenset = frozenset()  # where evaluators or experts score
    assignable_states: frozenset = frozenset()  # where evaluators or experts may be assigned
    charges_fee: bool = False  # an evaluation fee is paid through payments after acceptance
    application_form: bool = False  # the online 申报表 (evaluation/application_form.py) is part of applying
    acceptance_notice: bool = False  # the decision on acceptance is issued as a 受理通知书 PDF
    send_back_label: str = "退回重新评价"  # the committee's ballot option that returns the case

    # --- the graph --------------------------------------------------------------------

    def allows(self, transition: str, state: str) -> bool:
        return state in self.graph.get(transition, {})

    def target(self, transition: str, state: str) -> str:
        return self.graph[transition][state]

    def states(self) -> set[str]:
        return {s for moves in self.graph.values() for pair in moves.items() for s in pair}

    # --- steps the institution sees -----------------------------------------------------

    def progress_before_start(self) -> list[tuple[str, str]]:
        """The steps as shown on the application page, before any evaluation exists: the
        first (agreeing to the regulation, which creates the evaluation) is current."""
        return self._marked(0)

    def progress(self, state: str) -> list[tuple[str, str]]:
        """The steps for an evaluation in ``state`` (a draft has agreed already: it is on the
        step of filling in and submitting)."""
        return self._marked(next(i for i, step in enumerate(self.steps) if state in step.states))

    def _marked(self, current: int) -> list[tuple[str, str]]:
        return [(step.label, "current" if i == current else "done" if i < current else "todo")
                for i, step in enumerate(self.steps)]

    # --- what differs in substance -----------------------------------------------------------

    @abstractmethod
    def unmet_conditions(self, member, today: dt.date) -> list[str]:
        """Why ``member`` may not apply now (empty when it may), each with what to do."""

    @abstractmethod
    def result_for(self, evaluation, score: Decimal) -> str:
        """The result a score earns (a grade, a star level)."""

    def committee_options(self, evaluation) -> list[tuple[str, str]]:
        """What the committee may decide on ``evaluation`` besides sending it back (SEND_BACK
        is always an option, and the decision when no option wins a majority)."""
        return []

    def committee_suggestion(self, evaluation) -> str:
        """The option the record points to (shown on the agenda; members vote freely)."""
        return ""

    def passes(self, evaluation) -> bool:
        """Whether the result goes to public notice (capability: not when no star was given)."""
        return True

    def result_label(self, grade: str) -> str:
        return grade

    def certificate_context(self, evaluation) -> dict:
        """What the programme's certificate and plaque templates need beyond the evaluation."""
        return {}

    def certificate_number(self, evaluation, today: dt.date) -> str:
        return f"{self.certificate_prefix}{today:%Y}{evaluation.pk:06d}"
