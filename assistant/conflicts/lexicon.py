"""Word lists the conflict detector reasons with: negation, casualty words, opposing terms, event
verbs and nouns. Plain data, curated for news prose; nothing here names a particular story."""

from __future__ import annotations

NEGATORS = frozenset("no not n't never nobody none without zero neither nor denied".split())
HYPOTHETICAL = frozenset(
    """could would might may if threatened threatening risk fears feared whether to going vowed vow
    plan""".split()
)

# What a casualty word says happened: deaths, injuries, or either ("casualties").
CASUALTY_WORDS = {
    "kill": "death", "killed": "death", "killing": "death", "kills": "death", "dead": "death",
    "death": "death", "deaths": "death", "died": "death", "die": "death", "dies": "death",
    "fatalities": "death", "fatality": "death", "fatal": "death", "lives": "death",
    "injured": "injury", "injuring": "injury", "injuries": "injury", "injury": "injury",
    "wounded": "injury", "wounding": "injury", "hurt": "injury",
    "casualties": "either", "casualty": "either", "victims": "either",
}  # fmt: skip
# After these words a casualty word names the harm done, not a claim that harm happened.
CASUALTY_BLOCKERS = frozenset(
    "avoid minimize minimise prevent limit reduce spare protect civilian toll".split()
)

# Mutually exclusive outcomes: word -> (question it answers, answer). Subject-neutral groups only,
# or groups compared only when the subject matches (see claims.py).
OPPOSITES = {
    "postponed": ("going ahead", "postponed"), "delayed": ("going ahead", "postponed"),
    "rescheduled": ("going ahead", "postponed"), "cancelled": ("going ahead", "cancelled"),
    "canceled": ("going ahead", "cancelled"), "scrapped": ("going ahead", "cancelled"),
    "approved": ("decision", "approved"), "rejected": ("decision", "rejected"),
    "vetoed": ("decision", "rejected"), "opened": ("open or closed", "open"),
    "reopened": ("open or closed", "open"), "closed": ("open or closed", "closed"),
    "shut": ("open or closed", "closed"), "won": ("result", "won"), "lost": ("result", "lost"),
    "rose": ("direction", "rose"), "increased": ("direction", "rose"), "climbed": ("direction", "rose"),
    "grew": ("direction", "rose"), "jumped": ("direction", "rose"), "surged": ("direction", "rose"),
    "fell": ("direction", "fell"), "dropped": ("direction", "fell"), "decreased": ("direction", "fell"),
    "slipped": ("direction", "fell"), "plunged": ("direction", "fell"), "tumbled": ("direction", "fell"),
    "confirmed": ("confirmation", "confirmed"), "denied": ("confirmation", "denied"),
    "acquitted": ("verdict", "acquitted"), "convicted": ("verdict", "convicted"),
    "accepted": ("offer", "accepted"), "refused": ("offer", "refused"),
}  # fmt: skip
# Groups whose answer depends on who or what holds it ("Rovers won" and "Ashby lost" agree).
HOLDER_GROUPS = frozenset(("result", "direction", "confirmation", "offer", "verdict"))
OPPOSITE_PHRASES = {"called off": "cancelled", "put off": "postponed", "pushed back": "postponed",
                    "voted down": "rejected", "found guilty": "convicted"}  # fmt: skip

# Words of a contest whose result is written as a tally ("voted 6-5", "won 3-1", "by seven votes to
# four"): a pair of figures beside one of them is a result, elsewhere it may be a range or a label.
CONTEST_WORDS = frozenset(
    """vote votes voted voting ballot ballots won win wins beat beats defeated defeat victory lost
    loss score scores scored tally tied drew draw margin passed approved rejected split""".split()
)

# Verbs that date an event: "born in 1905", "founded in 1856"; a date is compared only within one.
EVENT_VERBS = {
    "born": "born", "birth": "born", "died": "died", "death": "died",
    "founded": "founded", "established": "founded", "formed": "founded", "created": "founded",
    "incorporated": "founded", "built": "built", "constructed": "built", "completed": "built",
    "erected": "built", "opened": "opened", "inaugurated": "opened", "released": "released",
    "published": "released", "premiered": "released", "aired": "released", "debuted": "released",
    "launched": "launched", "elected": "elected", "married": "married", "signed": "signed",
    "spoke": "spoke", "spoken": "spoke", "talked": "spoke", "met": "met", "held": "held",
    "took": "held", "voted": "voted", "arrested": "arrested", "attacked": "attacked",
    "broke": "started", "erupted": "started", "began": "started", "started": "started",
    "renamed": "renamed", "passed": "passed", "enacted": "passed", "adopted": "passed",
}  # fmt: skip

# Nouns that name the same kind of event, so "the onslaught" can match "the attack".
EVENT_CLASSES = {
    "attack": "attack", "strike": "attack", "strikes": "attack", "barrage": "attack", "assault": "attack",
    "onslaught": "attack", "salvo": "attack", "raid": "attack", "bombing": "attack", "airstrike": "attack",
    "call": "call", "conversation": "call", "phone": "call", "talk": "call", "talks": "call",
    "spoke": "call", "meeting": "meeting", "visit": "visit", "trip": "visit", "vote": "vote",
    "election": "vote", "ballot": "vote", "fire": "fire", "blaze": "fire", "match": "match",
    "game": "match",
}  # fmt: skip

# Verbs of saying: a weekday in their clause is when something was said ("a spokesperson on
# Wednesday repeated that the blaze began with a fault"), not when it happened; two such dates in
# two articles most often date two reports, not two versions of one event.
REPORTING_VERBS = frozenset(
    """said says told tells repeated repeats announced announces added adds confirmed confirms stated
    states reported reports wrote writes noted notes explained explains claimed claims insisted
    insists warned warns""".split()
)

# Cues before a duration that say what it measures.
LENGTH_CUES = frozenset("for lasted lasting lasts last took long spanning of".split())
END_VERBS = frozenset("ended finished concluded wrapped broke adjourned".split())
GAP_CUES = frozenset("first since".split())
OFFSET_AFTER = frozenset("ago earlier later before after since into from of".split())
PERIOD_CUES = frozenset("past last next every previous coming".split())
