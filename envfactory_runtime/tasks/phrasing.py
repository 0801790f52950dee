"""How a task is said: goals in plain words, with every value the user knows.

A task is a list of `Move`s (one per call: the operation, the values the
user must state for it, whether it works on an item an earlier call
returned). An instruction says what the user wants to end up with, in one
of three styles chosen by the task's seed (an imperative request, a
first-person situation in the persona's voice, a terse ticket), with
every stated value in words and never an operation name, a path or JSON;
the ids earlier answers return are referred to ("it", "that pet"), not
repeated. The simulated user's opening message is the same goal without
the values, which it reveals when asked. The assistant's closing message
reports what the user asked for, with the exact values. With an LLM
configured the instruction is rephrased, and the rephrasing is kept only
if every value the user supplies still appears in it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from ..llm import LLM, LLMError
from ..pointers import find
from .policies import one_value, own_key, scalars, text
from .wording import (
    capital,
    fields_phrase,
    imperative,
    join,
    READING,
    label,
    list_place,
    listed_noun,
    method_noun,
    noun,
    nouns,
    path_noun,
    pointer_field,
    say,
    set_phrase,
    spoken_values,
    verb_phrase,
    with_phrase,
)

_ASKED_OF_YOU = (("show me ", "see "), ("get me ", "get "))


def _as_mine(steps: str) -> str:
    """Steps said after "I need to" or "Could you help me": "see the brands",
    not "I need to show me the brands"."""
    for asked, mine in _ASKED_OF_YOU:
        if steps.startswith(asked):
            return mine + steps[len(asked) :]
    return steps


MAX_VALUE_CHARS = 60  # longer values are not required to survive LLM rephrasing
STYLES = ("imperative", "situation", "ticket")
_VERBS = {
    "create": ("add", "create", "set up", "make"),
    "read": ("look up", "check", "pull up", "get", "fetch"),
    "list": ("list", "show me", "go through", "pull up", "get me"),
    "update": ("update", "change", "edit", "modify"),
    "delete": ("delete", "remove", "get rid of"),
}
_PAST = {
    "create": "added",
    "read": "looked up",
    "list": "listed",
    "update": "updated",
    "delete": "deleted",
}
_MOODS = {
    "busy": ("I'm short on time, so let's be quick.", "Quick one, I'm in a rush."),
    "patient": ("No rush on this.", "Whenever you're ready."),
    "precise": (
        "Please be exact about this.",
        "I need this done exactly as described.",
    ),
    "chatty": ("Hope your day's going well!", "Hi there, thanks for helping out!"),
    "cautious": ("I want to be careful here.", "Please double-check as you go."),
}
_TICKET_HEADS = ("Ticket:", "To do:", "Request:", "Task:", "Needed:")
_TICKET_ASKS = ("Report back", "Reply with", "Send back", "Need back")
_SITUATION_ASKS = (
    "Then tell me",
    "After that, let me know",
    "Once done, send me",
    "And please tell me",
)
_IMPERATIVE_ASKS = (
    "Tell me",
    "Let me know",
    "Reply with",
    "Please send me",
    "And tell me",
)
_ROLES = (
    "shop owner",
    "developer",
    "support agent",
    "customer",
    "ops engineer",
    "account manager",
)


@dataclass(frozen=True)
class Words:
    """How one operation is spoken of."""

    role: str
    noun: str  # the item it works on ("pet"), singular
    nouns: str  # plural ("pets")
    doing: str  # for actions: what it does ("upload an image")
    owner: str = ""  # the item whose path it is under ("site" for a site's hooks)
    upsert: bool = False  # a PUT that makes the item it names when it is missing
    key: str = ""  # the path parameter that is the item's own id
    subject: str = (
        ""  # for actions: the item it works on ("book" for a book's checkout)
    )
    answer: str = ""  # for actions making no resource's item: what it answers with


@dataclass(frozen=True)
class Move:
    """One call of a task as the user thinks of it."""

    name: str
    values: dict[str, Any]  # what the user states for it, shaped like its arguments
    refers: bool = False  # it works on an item an earlier call returned
    given: tuple[str, ...] = ()  # keys of `values` naming an item the user has
    named: tuple = ()  # (field, value) telling its item apart in an earlier list
    own: bool = True  # the last of `given` is the item's own key, not a parent's
    # what its earlier-answered argument names ("product" for `product_id`): the
    # item an action works on where its path has no owner to say so
    about: str = ""


def moves_of(facts: list[dict]) -> list[Move]:
    """A blueprint's moves from its facts (`user.facts` of its record)."""
    return [
        Move(
            f["step"],
            f["values"],
            f.get("refers", False),
            tuple(f.get("given", ())),
            tuple(f.get("named", ())),
            f.get("own", True),
            f.get("about", ""),
        )
        for f in facts
    ]


@dataclass(frozen=True)
class Persona:
    mood: str
    role: str

    @classmethod
    def of(cls, key: str) -> "Persona":
        rng = random.Random(f"persona:{key}")
        return cls(rng.choice(sorted(_MOODS)), rng.choice(_ROLES))

    def __str__(self) -> str:
        return f"a {self.mood} {self.role} who answers only what is asked"


@dataclass
class Phraser:
    """Instructions, goals, answers and reports for one package."""

    context: Any  # DatasetContext: the API's title and its operations' words
    llm: LLM | None = None
    _words: dict[str, Words] = field(default_factory=dict)
    _fixed_args: dict[str, frozenset[str]] = field(default_factory=dict)

    # -- one operation ------------------------------------------------------

    def words(self, name: str) -> Words:
        found = self._words.get(name)
        if found is None:
            row = self.context.operations.get(name, {})
            thing = row.get("resource") or row.get("produces") or row.get("owner")
            fallback = path_noun(row.get("path", ""))
            found = self._words[name] = Words(
                role=row.get("role") or "action",
                noun=noun(thing, fallback),
                nouns=nouns(thing, fallback),
                doing=verb_phrase(row.get("summary", ""), name, row.get("path", "")),
                owner=noun(row.get("owner")) if row.get("owner") else "",
                upsert=bool(row.get("upsert")),
                key=own_key(row.get("path", "")) or "",
                subject=noun(row.get("owner") or thing, fallback),
                answer=(_answer_noun(row["answers"]) if _answers_apart(row) else "")
                or method_noun(row.get("path", "")),
            )
        return found

    def subject_of(
        self, places: Iterable[str], arguments: dict, answers: list, callers: list
    ) -> str:
        """What an action's earlier-answered argument names: by its name
        (`product_id`), else by the earlier answer holding its value (Google's
        `{resource}` holds the name a connection's create answered);
        `callers` name the operations that gave `answers`."""
        places = list(places)
        named = about(places)
        for place in places if not named else ():
            value = text(find(arguments, place))
            for caller, answer in reversed(list(zip(callers, answers))):
                if value in {text(v) for v in scalars(answer)}:
                    words = self.words(caller)
                    return words.noun if words.role != "action" else ""
        return named

    def role(self, move: Move) -> str:
        """The step's role as the user sees it: an upsert on an item no earlier
        answer gave its key makes it (ARM's `PUT .../supportTickets/{name}`)."""
        words = self.words(move.name)
        return "create" if words.upsert and words.key in move.values else words.role

    def action(self, name: str) -> str:
        """What an operation achieves, without values ("add a new pet")."""
        words = self.words(name)
        if words.role == "action":
            return words.doing
        target = words.nouns if words.role == "list" else words.noun
        article = "a new " if words.role == "create" else "the "
        return f"{_VERBS[words.role][0]} {article}{target}"

    def clause(
        self,
        move: Move,
        rng: random.Random,
        *,
        values: bool = True,
        last: str = "",
        said: set = frozenset(),
    ) -> str:
        """One step as part of a goal ("add a new pet named 'Rex'"); `last` is
        the noun of the step before, so a step on the same item says "it";
        `said` holds the (key, value) pairs earlier steps stated, which a
        step does not repeat (its parents, an API version)."""
        words = self.words(move.name)
        move = self.speakable(move)
        if said:
            move = _unsaid(move, said)
        pairs = spoken_values(move.values, skip=move.given) if values else []
        target = self._target(move, words, last, values)
        role = self.role(move)
        if role == "create":
            detail = with_phrase(pairs)
            text = f"{rng.choice(_VERBS['create'])} a new {words.noun}"
            if move.given and values:  # the parents it goes under, which the user has
                named = move.own and words.role != "create"  # an upsert names it
                text += (
                    f" called {_ids(move)}" if named else f" ({_ids(move, own=False)})"
                )
            elif move.refers and words.owner and words.owner != words.noun:
                text += " for it" if last == words.owner else f" for that {words.owner}"
        elif words.role == "list":
            detail = with_phrase(pairs)
            verb = rng.choice(_VERBS["list"])
            text = f"{verb} the {words.nouns}"
            if move.given:
                text += (
                    f" of {_ids(move, own=False)}" if values else " of the one I mean"
                )
            elif move.refers and words.owner and words.owner != words.noun:
                if last == words.owner:  # "its books", not "the books of it"
                    text = f"{verb} its {words.nouns}"
                else:
                    text += f" of that {words.owner}"
        elif words.role == "update" and pairs:
            sets, withs = _settings(move) if values else (pairs, [])
            detail = f"setting {set_phrase(sets)}" if sets else with_phrase(withs)
            if sets and withs:
                detail = f"{with_phrase(withs)}, {detail}"
            text = _object(rng.choice(_VERBS["update"]), target) + ","
        elif words.role in _VERBS:
            detail = with_phrase(pairs)
            text = _object(rng.choice(_VERBS[words.role]), target)
        else:
            detail = with_phrase(pairs)
            subject = words.owner or move.about or words.subject
            if move.refers and not move.given:  # the path's item, not the one it makes
                target = "it" if last == subject else f"that {subject}"
            text = words.doing + (f" for {target}" if move.refers or move.given else "")
            if move.refers and not move.given:  # "check that book out"
                text = _acting_on(words.doing, subject, target) or text
        return f"{text} {detail}".strip()

    def _target(self, move: Move, words: Words, last: str, values: bool) -> str:
        if move.given:
            if not values:
                return f"one of my {words.nouns}"
            if move.own and self._names_item(move.name):
                return f"{words.noun} {_ids(move)}"
            if words.role == "action" and not move.refers:  # "... for payor ID 7"
                return _ids(move, own=False)
            # the item comes from an earlier answer; the user gives its parents
            head = f"that {words.noun}" if move.refers else f"the {words.noun}"
            return f"{head} ({_ids(move, own=False)})"
        if move.named:
            field_, value = move.named
            if not values:
                return f"one of those {words.nouns}"
            if field_ == "name":
                return f"the {words.noun} named {say(value)}"
            return f"the {words.noun} with {label(field_)} {say(value)}"
        if move.refers and last == _LISTED + words.noun:
            return "the one listed"  # "it" would be the item before the list
        if move.refers:
            return "it" if last == words.noun else f"that {words.noun}"
        return f"the {words.noun}"

    def _names_item(self, name: str) -> bool:
        """Whether the operation's last path parameter names its own item: its
        path ends there (`/pets/{petId}`, `/v1/{name}:undelete`), not in a word
        that names something of it (Velo's `/payors/{payorId}/invitationStatus`
        is no invitation status called by a payor's id), or it acts on an
        item it names (`/pets/{petId}/uploadImage`); a value after a way of
        reading is what it reads by (CORE's `/articles/search/{query}`)."""
        row = self.context.operations.get(name) or {}
        path = row.get("path", "").split("#")[0]
        ends = re.search(r"(?:^|/)([^/{}]*)/\{[^/{}]*\}(:[A-Za-z]\w*)?/?$", path)
        if ends and ends.group(1).lower() in READING:  # `/search/{query}`: a query
            return False
        return bool(row.get("owner")) or bool(ends)

    # -- whole tasks ----------------------------------------------------------

    def instruction(self, moves: list[Move], outputs: list[dict], key: str) -> str:
        """The whole task with every value the user gives, in the style `key` draws."""
        text = self._compose(moves, outputs, key, values=True)
        return self._rephrase(text, moves) if self.llm else text

    def goal(self, moves: list[Move], outputs: list[dict], key: str) -> str:
        """The simulated user's opening: the same goal without the values."""
        return self._compose(moves, outputs, key, values=False)

    def _compose(
        self, moves: list[Move], outputs: list[dict], key: str, *, values: bool
    ) -> str:
        rng = random.Random(f"phrase:{key}")
        style = rng.choice(STYLES)
        clauses, last, said = [], "", set()
        for move in moves:
            clauses.append(self.clause(move, rng, values=values, last=last, said=said))
            listed = _LISTED if self.role(move) == "list" else ""
            last = listed + self.words(move.name).noun
            said |= _pairs(move.values)
        report = self.wanted(outputs, moves)
        persona = Persona.of(key)
        if style == "ticket":
            head = rng.choice(_TICKET_HEADS)
            body = "; then ".join(clauses) if len(clauses) < 3 else "; ".join(clauses)
            tail = f" {rng.choice(_TICKET_ASKS)} {report}." if report else ""
            return f"{head} {body}.{tail}"
        steps = _chain(clauses, rng)
        if style == "situation":
            mood = rng.choice(_MOODS[persona.mood])
            who = f"I'm {_article(persona.role)} {persona.role}"
            intro = rng.choice(
                (f"{who} using {self.context.title}.", f"{mood} {who} and", mood)
            )
            ask = f" {rng.choice(_SITUATION_ASKS)} {report}." if report else ""
            steps = _as_mine(steps)
            if intro.endswith(" and"):
                need = rng.choice(("I need to", "I'd like to", "I want to"))
                return f"{intro} {need} {steps}.{ask}"
            need = rng.choice(("I need to", "I'd like to", "Could you help me"))
            end = "?" if need.startswith("Could") else "."
            return f"{intro} {need} {steps}{end}{ask}"
        lead = rng.choice(("", "", "Please ", "Can you "))
        text = f"{lead}{steps}" if lead else capital(steps)
        end = "?" if lead == "Can you " else "."
        ask = f" {rng.choice(_IMPERATIVE_ASKS)} {report}." if report else ""
        return capital(text) + end + ask

    def wanted(self, outputs: list[dict], moves: list[Move]) -> str:
        """What the user wants reported ("the new pet's ID and its status")."""
        return join(self._heads(outputs, moves))

    def _heads(self, outputs: list[dict], moves: list[Move]) -> list[str]:
        """Each output as a noun phrase: "the new pet's ID", then "its status"."""
        heads, seen = [], set()
        for output in outputs:
            step = output["step"]
            owner = self._owner(moves[step]) if step < len(moves) else "result"
            place = list_place(output["pointer"])
            if place and not owner.startswith("new "):  # one of a list: which one
                owner = f"{place} {listed_noun(output['pointer']) or owner}"
            field_ = pointer_field(output["pointer"])
            noun_ = owner.removeprefix("new ")
            if field_.lower().startswith(
                noun_.lower() + " "
            ):  # a form's `formId`: its ID
                field_ = field_[len(noun_) + 1 :]
            heads.append(
                f"its {field_}" if owner in seen else f"the {owner}'s {field_}"
            )
            seen.add(owner)
        return heads

    def _owner(self, move: Move) -> str:
        words = self.words(move.name)
        if self.role(self.speakable(move)) == "create":
            return f"new {words.noun}"
        return words.answer or words.noun

    # -- conversation turns ---------------------------------------------------

    def speakable(self, move: Move) -> Move:
        """The move less the values its tool's schema fixes (a one-member enum,
        a `const`: AWS's `X-Amz-Target` header): protocol, not the user's to say."""
        fixed = self._fixed(move.name)
        if not fixed.intersection(move.values):
            return move
        return replace(
            move, values={k: v for k, v in move.values.items() if k not in fixed}
        )

    def _fixed(self, name: str) -> frozenset[str]:
        found = self._fixed_args.get(name)
        if found is None:
            tool = next(
                (
                    t["function"]
                    for t in getattr(self.context, "tools", ())
                    if t.get("function", {}).get("name") == name
                ),
                {},
            )
            properties = (tool.get("parameters") or {}).get("properties") or {}
            found = self._fixed_args[name] = frozenset(
                key for key, schema in properties.items() if one_value(schema)
            )
        return found

    def reveal(self, move: Move) -> str:
        """The user's answer when asked about one step, in words."""
        move = self.speakable(move)
        pairs = spoken_values(move.values, skip=move.given)
        words = self.words(move.name)
        parts = []
        if move.given or move.named:
            parts.append(f"I mean {self._target(move, words, '', True)}.")
        if pairs and self.role(move) == "update":
            parts.append(f"Set {set_phrase(pairs)}.")
        elif pairs:
            parts.append(f"Use {join([f'{f} {v}' for f, v in pairs])}.")
        return " ".join(parts) or f"For {self.action(move.name)} there is nothing else."

    def asks(self, move: Move) -> bool:
        """Whether the step needs anything from the user."""
        return bool(
            move.given or move.named or spoken_values(move.values, skip=move.given)
        )

    def question(self, move: Move) -> str:
        """The assistant asking for a step's values."""
        pairs = spoken_values(move.values, skip=move.given)
        wanted = fields_phrase(pairs) if pairs else ""
        if move.given or move.named:
            wanted = join(
                [f"which {self.words(move.name).noun}", *([wanted] if wanted else [])]
            )
            return f"To {self.action(move.name)}, {wanted} should I use?"
        return f"To {self.action(move.name)}, which {wanted} should I use?"

    def closing(self, moves: list[Move], outputs: list[dict], key: str) -> str:
        """The assistant's last message: what was done and the values asked for."""
        rng = random.Random(f"closing:{key}")
        opener = rng.choice(("Done.", "All set.", "That's taken care of.", "Finished."))
        if outputs:
            facts = [
                f"{head} is {say(output['value'])}"
                for head, output in zip(self._heads(outputs, moves), outputs)
            ]
            return f"{opener} {capital(join(facts))}."
        done = []
        for move in moves:  # as the instruction said it: an upsert of a
            role = self.role(self.speakable(move))  # singleton is an edit
            if role in _PAST:
                words = self.words(move.name)
                thing = words.nouns if role == "list" else words.noun
                done.append(f"{_PAST[role]} the {thing}")
        return f"{opener} I {join(done)}." if done else opener

    def _rephrase(self, text: str, moves: list[Move]) -> str:
        prompt = [
            {
                "role": "system",
                "content": "Rewrite the task as a user would ask for it, in the"
                " first person. Keep every value exactly as written. Do not name"
                " API operations, paths or HTTP methods. Answer with the rewritten"
                " task only.",
            },
            {"role": "user", "content": text},
        ]
        try:
            phrased = (self.llm.chat(prompt).get("content") or "").strip()
        except LLMError:
            return text
        needed = [v for m in moves for v in stated(self.speakable(m).values)]
        return phrased if phrased and all(v in phrased for v in needed) else text


def stated(values: Any) -> list[str]:
    """The values a phrasing must keep verbatim: text and numbers (booleans are
    said in words), up to `MAX_VALUE_CHARS` long."""
    return [
        v
        for v in scalars(values)
        if v not in ("true", "false") and len(v) <= MAX_VALUE_CHARS
    ]


def _pairs(values: dict) -> set[tuple[str, str]]:
    """A step's top-level scalar values as (key, text) pairs."""
    return {(k, str(v)) for k, v in values.items() if not isinstance(v, (dict, list))}


def _unsaid(move: Move, said: set) -> Move:
    """The move less the top-level values an earlier step already stated, its
    own key kept (it says which item)."""
    own = move.given[-1] if move.own and move.given else None
    drop = {k for k, v in _pairs(move.values) & said if k != own}
    if not drop:
        return move
    return replace(
        move,
        values={k: v for k, v in move.values.items() if k not in drop},
        given=tuple(k for k in move.given if k not in drop),
        own=move.own and own is not None,
    )


def _settings(move: Move) -> tuple[list, list]:
    """An update's (fields it sets, other values said with it): the body's
    fields are what it sets, when it has a body; parameters beside it (an API
    version, a flag) go with it."""
    values = {k: v for k, v in move.values.items() if k not in move.given}
    body = {k: v for k, v in values.items() if isinstance(v, dict)}
    if not spoken_values(body):
        return spoken_values(values), []
    rest = {k: v for k, v in values.items() if k not in body}
    return spoken_values(body), spoken_values(rest)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _ids(move: Move, own: bool = True) -> str:
    """The ids the user gives for a step: the item's own, its parents' in
    brackets ("3 (username 000001, slug 000002)"); with `own` false, only
    the parents, labelled ("username 000001, slug 000002")."""
    given = [k for k in move.given if k in move.values]
    if not given:
        return ""
    if not own:
        return _labelled(move, given)
    *parents, last = given
    text = say(move.values[last])
    return text + (f" ({_labelled(move, parents)})" if parents else "")


def _labelled(move: Move, keys: list[str]) -> str:
    return ", ".join(f"{label(k)} {say(move.values[k])}" for k in keys)


def _object(verb: str, target: str) -> str:
    """A verb and its object, a pronoun going before the particle ("look it up")."""
    head, _, particle = verb.partition(" ")
    if target == "it" and particle in ("up", "through"):
        return f"{head} it {particle}" if particle == "up" else f"{verb} it"
    return f"{verb} {target}"


def _chain(clauses: list[str], rng: random.Random) -> str:
    """Clauses joined as one goal: "a, then b, and finally c"."""
    if len(clauses) == 1:
        return clauses[0]
    middle = [rng.choice(("then ", "after that ", "next ")) + c for c in clauses[1:-1]]
    final = rng.choice(("and finally ", "and then ", "and last, "))
    return ", ".join([clauses[0], *middle, final + clauses[-1]])


# what `last` says of a list step: an item taken from it is "the one listed"
_LISTED = "listed "

# what may follow an action's object ("check a book out"), unlike a noun of a
# compound ("list the thing keys")
_PARTICLES = "(?:out|in|up|off|back|over|down|away|to|for|from|with|on|at|into)"
_MODIFIERS = r"(?:[\w-]+ ){0,3}?"  # "direct debit" in "cancel a direct debit mandate"


def _acting_on(doing: str, subject: str, target: str) -> str:
    """`doing` with its object, an item of `subject`, said as `target`: "check
    that book out" for "check a book out", "cancel it" for "cancel a direct
    debit mandate", "check that tag" for "check repository tag"; "" where
    its object is something else."""
    noun_ = re.escape(subject)
    article = re.search(
        rf"\b(?:a|an|the) {_MODIFIERS}{noun_}(?=$| {_PARTICLES}\b)", doing
    )
    if article:
        return doing.replace(article.group(0), target, 1)
    bare = re.fullmatch(rf"(\w+(?: {_PARTICLES})?) {_MODIFIERS}{noun_}", doing)
    return f"{bare.group(1)} {target}" if bare else ""


def _answers_apart(row: dict) -> bool:
    """Whether an action answers with something of its own (a ticket's
    exchange answers an access token), not an item of a resource."""
    return (
        row.get("role", "action") == "action"
        and not row.get("produces")
        and bool(row.get("answers"))
    )


def _answer_noun(schema: str) -> str:
    """What an action's answer is called: its schema's name less a wire
    suffix ("accessToken", "GetQuoteResponse" -> "quote"), or "result" where
    that is a mouthful ("ImageToWordsWithLocationResult")."""
    bare = re.sub(r"(?<=[a-z0-9])(Response|Result|Output|Reply|Dto)$", "", schema)
    verb = re.match(r"[A-Z][a-z]+(?=[A-Z])", bare)
    if verb and (  # an operation's answer: "ImportCertificateResponse" -> "certificate"
        bare != schema or verb.group(0) in ("Get", "List", "Search", "Find")
    ):
        bare = bare[verb.end() :] if imperative(verb.group(0).lower()) else bare
    spoken = noun(bare)
    return spoken if len(spoken.split()) <= 2 else "result"


def about(places: Iterable[str]) -> str:
    """What the first earlier-answered argument names, by its name: `product_id`
    and `/body/productId` name a product; a bare `id` names nothing."""
    for place in places:
        last = re.split(r"[/.]", place.strip("/"))[-1]
        stem = re.sub(  # AWS names items by name and ARN: `TableName`, `StreamARN`
            r"(?<=[a-z0-9])(?:[_-]?(?:id|Id|ID|key|Key)|Name|Arn|ARN|_name|_arn)$",
            "",
            last,
        )
        if stem and stem != last:
            return noun(stem)
    return ""
