"""State graphs: the states a row can be in and the moves between them.

A graph is a class whose attributes are ``State`` objects::

    class DeliveryStates(StateGraph):
        scheduled = State(try_interval=5)
        publishing = State(try_interval=30, lease=120)
        published = State(terminal=True)

        scheduled.transitions_to(publishing)
        publishing.transitions_to(published)

It is validated when the class is created: exactly one initial state (the
one marked ``initial=True``, or else the only one no transition leads to), no
transition to a state outside the graph, terminal states lead nowhere, every
other state leads somewhere. Besides the initial state, a row may be created
only in a state marked ``entry=True`` (e.g. a reply waiting for the post it
answers); any other state no transition leads to is a mistake.
"""

from __future__ import annotations

from typing import ClassVar


class GraphError(Exception):
    """A state graph that cannot work, found at import time."""


class State:
    def __init__(
        self,
        *,
        try_interval: float | None = None,
        lease: float = 120.0,
        terminal: bool = False,
        externally_progressed: bool = False,
        initial: bool = False,
        entry: bool = False,
    ) -> None:
        self.initial = initial
        self.entry = entry
        self.try_interval = try_interval
        self.lease = lease
        self.terminal = terminal
        self.externally_progressed = externally_progressed
        self.name = ""
        self.children: set[State] = set()
        self.parents: set[State] = set()

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<State {self.name}>"

    def __str__(self) -> str:
        return self.name

    def transitions_to(self, *states: State) -> None:
        for state in states:
            self.children.add(state)
            state.parents.add(self)

    @property
    def automatic(self) -> bool:
        """Worked on by the runner (not terminal, not waiting on a person)."""
        return not self.terminal and not self.externally_progressed

    @property
    def handler_name(self) -> str:
        return f"handle_{self.name}"


class StateGraph:
    states: ClassVar[dict[str, State]]
    initial_state: ClassVar[State]
    terminal_states: ClassVar[frozenset[State]]
    automatic_states: ClassVar[frozenset[State]]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.states = {n: v for n, v in vars(cls).items() if isinstance(v, State)}
        members = set(cls.states.values())
        if not members:
            raise GraphError(f"{cls.__name__} declares no state.")
        for state in members:
            strangers = state.children - members
            if strangers:
                names = ", ".join(sorted(s.name or "?" for s in strangers))
                raise GraphError(
                    f"{cls.__name__}.{state.name} leads to undeclared state(s): {names}"
                )
            if state.terminal and state.children:
                raise GraphError(f"{cls.__name__}.{state.name} is terminal but has transitions.")
            if not state.terminal and not state.children:
                raise GraphError(f"{cls.__name__}.{state.name} is not terminal and leads nowhere.")
            if state.automatic and state.try_interval is None:
                raise GraphError(
                    f"{cls.__name__}.{state.name} is automatic: give it a try_interval."
                )
        cls.initial_state = _initial_state(cls.__name__, members)
        cls.terminal_states = frozenset(s for s in members if s.terminal)
        cls.automatic_states = frozenset(s for s in members if s.automatic)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(name, name) for name in cls.states]

    @classmethod
    def get(cls, name: str) -> State:
        try:
            return cls.states[name]
        except KeyError:
            raise GraphError(f"{cls.__name__} has no state {name!r}") from None


def _initial_state(graph: str, members: set[State]) -> State:
    """The state rows start in by default; other states rows start in are marked ``entry``."""
    marked = [s for s in members if s.initial]
    entries = [s for s in members if not (s.parents & members)]
    if len(marked) > 1:
        names = ", ".join(sorted(s.name for s in marked))
        raise GraphError(f"{graph} marks several initial states: {names}")
    if marked:
        initial = marked[0]
        others = [s for s in entries if s is not initial and not s.entry]
        if others:
            names = ", ".join(sorted(s.name for s in others))
            raise GraphError(f"{graph}: no transition leads to {names}; mark it entry=True")
        return initial
    if len(entries) != 1:
        names = ", ".join(sorted(s.name for s in entries)) or "none"
        raise GraphError(f"{graph} needs exactly one initial state; found: {names}")
    return entries[0]
