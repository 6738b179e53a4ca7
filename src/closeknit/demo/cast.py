"""Who is in a demo member's network, and how and when they are in touch: data only.

The hand-written cast is every demo member's core network; at the heavy scale
`generate.py` adds generated people (from the name lists below) around it.
The slugs are the shared vocabulary of network/vocab.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    days: int  # how far back the history goes
    extra_people: int  # generated people around the hand-written cast
    extra_groups: int
    interactions: int | None  # aim for about this many contacts; None: what the rhythms give


# Small: about 40 people over the last 18 months. Heavy: about 1,000 people and
# 50,000 contacts over ten years, for benchmarks.
SCALES: dict[str, Scale] = {
    "small": Scale("small", days=548, extra_people=0, extra_groups=0, interactions=None),
    "heavy": Scale("heavy", days=3652, extra_people=958, extra_groups=10, interactions=50_000),
}

# --- When contact happens, in the member's local time -----------------------------------------

# Local hours (start, end) and the weekdays (0 = Monday) a kind of contact happens on.
WINDOWS: dict[str, tuple[tuple[int, int], tuple[int, ...]]] = {
    "evening": ((17, 21), (0, 1, 2, 3, 4, 5, 6)),
    "daytime": ((9, 17), (0, 1, 2, 3, 4, 5, 6)),
    "work": ((9, 17), (0, 1, 2, 3, 4)),
    "weekend": ((10, 18), (5, 6)),
    "any": ((8, 21), (0, 1, 2, 3, 4, 5, 6)),
}

# Short, kind notes, the way a person would jot them down afterwards.
NOTES: dict[str, tuple[str, ...]] = {
    "close": (
        "Talked about the week; felt lighter after.",
        "They asked how I'm really doing, and I told them.",
        "Laughed a lot. Needed that.",
        "Walked by the river together.",
        "Cooked dinner together, no phones.",
        "Helped me think through the job worries.",
        "Quick chat, but it helped.",
        "I listened for a change. Glad I could be there.",
    ),
    "family": (
        "Sunday catch-up, the usual news.",
        "Sent photos from the garden.",
        "Talked about visiting in the summer.",
        "They remembered my appointment and asked how it went.",
        "Helped sort out the paperwork.",
    ),
    "friend": (
        "Coffee in town, lovely to see them.",
        "Sent a silly meme, made my day.",
        "Caught up properly for the first time in ages.",
        "Went to the cinema.",
        "Long voice note back and forth.",
        "Made plans for next month.",
    ),
    "work": (
        "Team lunch, nice to switch off for an hour.",
        "Helped me plan around the deadline.",
        "Covered for me when I needed a break.",
        "Shared a useful article.",
    ),
    "therapy": (
        "Worked on noticing early warning signs.",
        "Practised a grounding exercise.",
        "Talked about sleep and routines.",
        "Went over my safety plan together.",
        "Looked at what helped this month.",
    ),
    "group": (
        "Shared for the first time in a while.",
        "Someone's story sounded a lot like mine.",
        "Good check-in round.",
        "Stayed for tea afterwards.",
        "Felt less alone tonight.",
    ),
    "professional": (
        "Medication review, all fine.",
        "Asked about the sleep problems.",
    ),
}

FEELING_WEIGHTS: dict[int | None, int] = {None: 8, 1: 2, 2: 6, 3: 24, 4: 35, 5: 25}
DIRECTION_WEIGHTS: dict[str, int] = {"received": 32, "gave": 23, "mutual": 45}
NOTE_SHARE = 0.3


# --- The cast: the hand-written people every demo member has ---------------------------------


@dataclass(frozen=True)
class Cast:
    """One person of the demo network and how the member keeps in touch with them."""

    key: str
    name: str
    roles: tuple[str, ...]
    support: tuple[str, ...]
    circle: str
    rhythm: int | None  # the rhythm the member hopes for, in days
    channels: tuple[str, ...]
    every: float | None  # actual mean days between contacts; None: only through a schedule
    window: str = "evening"
    notes: str = "friend"
    nickname: str = ""
    birthday: tuple[int, int, int | None] | None = None  # (month, day, year or None)
    birthday_soon: bool = False  # a birthday a few days ahead, so there is one to celebrate
    overdue: float = 0.0  # last contact this many rhythms ago (0: in good time)
    since: int | None = None  # known for only this many days
    receives: bool = False  # a professional or mentor: the member receives support
    about: str = ""  # the member's own notes on this person


CAST: tuple[Cast, ...] = (
    # Inner circle: contacted often.
    Cast("partner", "Jamie Carter", ("partner",), ("emotional", "practical", "companionship"),
         "inner", 3, ("in_person", "message"), 2.8, notes="close", nickname="Jamie",
         birthday=(6, 14, 1989)),
    Cast("best_friend", "Priya Shah", ("friend",), ("emotional", "companionship"), "inner", 7,
         ("call", "in_person", "message"), 5.5, notes="close", nickname="Priya",
         birthday_soon=True, about="Knows the whole story. Good at just listening."),
    Cast("sister", "Hannah Brooks", ("family",), ("emotional", "practical"), "inner", 7,
         ("call", "video", "message"), 6.0, notes="family", birthday=(3, 2, 1987)),
    Cast("mum", "Margaret Brooks", ("family",), ("emotional", "practical"), "inner", 7,
         ("call", "in_person"), 6.5, window="weekend", notes="family", nickname="Mum",
         birthday=(11, 21, 1961)),
    # Professionals: the therapist every two weeks (see SCHEDULES), the GP now and then.
    Cast("therapist", "Noor Haddad", ("therapist",), ("informational", "emotional"), "middle",
         14, ("in_person", "video"), None, notes="therapy", receives=True,
         about="Every other Thursday at 11. Video when I can't face the bus."),
    Cast("gp", "Dr Ellis Morgan", ("doctor",), ("informational", "practical"), "outer", 90,
         ("in_person", "call"), 75, window="work", notes="professional", receives=True),
    # Colleagues: a weekly team lunch (see SCHEDULES) and messages in between.
    Cast("tom", "Tom Becker", ("colleague",), ("practical", "informational"), "middle", 7,
         ("in_person", "message"), 12, window="work", notes="work"),
    Cast("aisha", "Aisha Bello", ("colleague", "friend"), ("practical", "companionship"),
         "middle", 7, ("in_person", "message"), 9, window="work", notes="work"),
    Cast("marcus", "Marcus Lee", ("colleague",), ("informational",), "middle", 7,
         ("in_person", "video"), 20, window="work", notes="work"),
    Cast("sofia", "Sofia Rossi", ("colleague",), ("practical",), "middle", 7,
         ("in_person", "message"), 18, window="work", notes="work"),
    Cast("ben", "Ben Adeyemi", ("colleague", "mentor"), ("informational", "emotional"),
         "middle", 7, ("in_person", "video"), 16, window="work", notes="work"),
    Cast("grace", "Grace Kim", ("colleague",), ("companionship",), "middle", 7,
         ("in_person", "message"), 14, window="work", notes="work", since=150),
    # The peer support group (a Group meeting weekly, see GROUPS).
    Cast("dan", "Dan Walsh", ("support_group", "peer"), ("emotional", "informational"),
         "middle", 14, ("in_person", "message"), 30, notes="group"),
    Cast("leila", "Leila Farah", ("support_group", "peer"), ("emotional",), "middle", 14,
         ("in_person", "message"), 25, notes="group", nickname="Lei"),
    Cast("chris", "Chris Novak", ("support_group", "peer"), ("informational",), "middle", 14,
         ("in_person",), None, notes="group"),
    Cast("maya", "Maya Patel", ("support_group", "peer"), ("emotional", "companionship"),
         "middle", 14, ("in_person", "call"), 35, notes="group"),
    Cast("owen", "Owen Hughes", ("support_group", "peer"), ("emotional",), "middle", 14,
         ("in_person",), None, notes="group"),
    Cast("rosa", "Rosa Martin", ("support_group", "peer"), ("informational", "emotional"),
         "middle", 14, ("in_person", "message"), 40, notes="group", since=240),
    # Family beyond the inner circle.
    Cast("dad", "Peter Brooks", ("family",), ("practical", "emotional"), "middle", 14,
         ("call", "in_person"), 11, window="weekend", notes="family", nickname="Dad",
         birthday=(8, 30, 1959)),
    Cast("gran", "Joan Brooks", ("family",), ("emotional",), "middle", 14, ("call", "letter"),
         12, window="daytime", notes="family", nickname="Gran", birthday=(1, 9, 1938),
         overdue=2.5, about="Loves a proper letter. Hard of hearing on the phone."),
    Cast("brother", "Sam Brooks", ("family",), ("companionship",), "middle", 21,
         ("message", "video"), 17, notes="family", birthday=(10, 5, 1992)),
    Cast("carol", "Carol Carter", ("family",), ("practical",), "middle", 30, ("call",), 26,
         window="weekend", notes="family", birthday=(4, 18, None)),
    Cast("ruth", "Ruth Okafor", ("family",), ("emotional",), "outer", 60, ("call", "letter"),
         52, window="daytime", notes="family"),
    Cast("kemi", "Kemi Okafor", ("family",), ("companionship",), "outer", 90,
         ("message", "video"), 70, notes="family", birthday=(12, 12, 1995)),
    # Friends.
    Cast("tariq", "Tariq Aziz", ("friend",), ("companionship",), "middle", 14,
         ("message", "in_person"), 11, notes="friend", birthday=(7, 23, None)),
    Cast("emma", "Emma Wilson", ("friend",), ("emotional",), "middle", 14, ("call", "message"),
         12, notes="friend", overdue=3.0),
    Cast("lucas", "Lucas Silva", ("friend",), ("companionship", "practical"), "middle", 21,
         ("in_person", "message"), 18, window="weekend", notes="friend"),
    Cast("freya", "Freya Jensen", ("friend",), ("emotional", "companionship"), "middle", 30,
         ("video", "message"), 24, notes="friend", birthday=(9, 3, None)),
    Cast("nadia", "Nadia Rahman", ("friend",), ("emotional",), "middle", 21, ("call",), 17,
         notes="friend"),
    # Neighbours, a mentor, the volunteering and the evening class.
    Cast("irene", "Irene Clarke", ("neighbour",), ("practical",), "middle", 14, ("in_person",),
         10, window="daytime", notes="friend"),
    Cast("kofi", "Kofi Mensah", ("neighbour", "volunteer"), ("practical", "companionship"),
         "middle", 30, ("in_person", "message"), 40, window="weekend", notes="friend"),
    Cast("helen", "Helen Price", ("mentor",), ("informational", "emotional"), "middle", 30,
         ("video", "call"), 27, window="work", notes="close", receives=True,
         about="Mentor from the returners' scheme."),
    Cast("ruby", "Ruby Evans", ("volunteer",), ("companionship",), "outer", 30, ("in_person",),
         None, notes="friend"),
    Cast("yusuf", "Yusuf Demir", ("classmate",), ("companionship",), "outer", 30,
         ("in_person", "message"), 45, notes="friend", since=120),
    Cast("clara", "Clara Dubois", ("classmate",), ("companionship",), "outer", 30,
         ("in_person",), None, notes="friend", since=120),
    # The outer circle: contacted rarely, and that is fine.
    Cast("matt", "Matt Green", ("friend",), ("companionship",), "outer", 90,
         ("message", "call"), 80, notes="friend", overdue=2.2),
    Cast("zoe", "Zoe Turner", ("colleague",), ("informational",), "outer", 60,
         ("message", "video"), 55, notes="friend"),
    Cast("ravi", "Ravi Kumar", ("friend",), ("companionship",), "outer", 120,
         ("message", "in_person"), 100, notes="friend"),
    Cast("ellie", "Ellie Shaw", ("friend",), ("emotional",), "outer", 180, ("letter", "call"),
         150, notes="friend"),
    Cast("sky", "Sky Morgan", ("peer",), ("emotional", "informational"), "outer", 30,
         ("online",), 16, window="any", notes="group"),
    Cast("anna", "Anna Kowalski", ("friend",), ("companionship",), "outer", 90,
         ("message", "video"), 80, notes="friend"),
    Cast("george", "George Hall", ("neighbour",), ("practical",), "outer", 180,
         ("in_person",), 160, window="daytime", notes="friend"),
)  # fmt: skip


@dataclass(frozen=True)
class GroupSpec:
    """A group the demo member belongs to, meeting on a repeating schedule."""

    key: str
    name: str
    kind: str
    schedule: str  # an RRULE repeating in local wall-clock time
    time: tuple[int, int]  # local (hour, minute) of each meeting
    members: tuple[str, ...]  # cast keys
    channel: str = "in_person"
    attendance: float = 0.85  # share of meetings the member goes to
    since: int | None = None  # the group started this many days ago
    notes: str = ""


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "peer_group",
        "Tuesday peer support group",
        "support_group",
        "FREQ=WEEKLY;BYDAY=TU",
        (19, 0),
        ("dan", "leila", "chris", "maya", "owen", "rosa"),
        notes="First names only; what is said in the room stays in the room.",
    ),
    GroupSpec(
        "park",
        "Riverside park volunteers",
        "volunteering",
        "FREQ=MONTHLY;BYDAY=1SA",
        (10, 0),
        ("kofi", "ruby"),
        attendance=0.7,
    ),
    GroupSpec(
        "pottery",
        "Thursday pottery class",
        "class",
        "FREQ=WEEKLY;BYDAY=TH",
        (18, 30),
        ("yusuf", "clara"),
        attendance=0.8,
        since=120,
    ),
)


@dataclass(frozen=True)
class Appointment:
    """Contact on a fixed schedule with people, not a group: therapy, the team lunch."""

    schedule: str
    time: tuple[int, int]
    people: tuple[str, ...]
    channels: tuple[str, ...]
    support: tuple[str, ...]
    notes: str
    attendance: float
    direction: str | None = None  # None: drawn like any contact
    together: int = 0  # 0: everyone; otherwise this many of the people at a time


SCHEDULES: tuple[Appointment, ...] = (
    Appointment(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        (11, 0),
        ("therapist",),
        ("in_person", "video"),
        ("informational", "emotional"),
        "therapy",
        attendance=0.92,
        direction="received",
    ),
    Appointment(
        "FREQ=WEEKLY;BYDAY=WE",
        (12, 30),
        ("tom", "aisha", "marcus", "sofia", "ben", "grace"),
        ("in_person",),
        ("companionship",),
        "work",
        attendance=0.85,
        direction="mutual",
        together=4,
    ),
)


# --- The heavy scale: generated people and groups around the cast ------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Abdul Adaeze Aiden Alba Amara Amir Ana Anders Anika Arjun Aylin Bea Bilal Bruno Caleb "
    "Camila Chen Chidi Ciara Dara Darius Deepa Eamon Elif Elena Eli Esi Ewan Farah Felix "
    "Fatima Finn Gabriel Gemma Hamza Hana Harvey Ida Imani Isaac Ivy Jack Jana Jonah Jude "
    "Kai Kara Karim Keira Kenji Lars Layla Liam Lina Luca Lucy Malik Mara Mateo Mei Mina "
    "Moses Nia Nico Nina Noah Nour Olu Omar Orla Pablo Paula Rafael Rania Reuben Rhys Rin "
    "Rohan Ruth Sade Sami Sara Seren Simone Sina Tamsin Theo Tomasz Una Vera Viktor Wen "
    "Will Yara Yiannis Zain Zara Zoltan"
)
LAST_NAMES = _words(
    "Abbott Achebe Ahmed Alvarez Anderson Baker Banerjee Barros Bell Bianchi Campbell Chan "
    "Choi Costa Cruz Davies Dlamini Doyle Edwards Evans Fischer Fletcher Fraser Garcia Gill "
    "Gordon Gupta Hall Hassan Hoang Ibrahim Ito Jackson Jones Kaur Kelly Khan Kowalczyk "
    "Larsen Lopez MacLeod Mahmoud Mendes Moreau Murray Nakamura Nguyen Novak Nowak Obi "
    "Oliveira Osei Park Pereira Phillips Quinn Reid Roberts Santos Schmidt Scott Sharma "
    "Singh Smith Suzuki Taylor Thomas Varga Walker Ward Watson Weber White Williams Wong "
    "Wright Yilmaz Young Zhang"
)

# For generated people: (roles, support types, weight).
EXTRA_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...] = (
    (("friend",), ("companionship", "emotional"), 30),
    (("colleague",), ("practical", "informational"), 20),
    (("family",), ("emotional", "practical"), 10),
    (("neighbour",), ("practical",), 8),
    (("peer",), ("emotional", "informational"), 8),
    (("support_group",), ("emotional", "informational"), 6),
    (("volunteer",), ("companionship",), 6),
    (("classmate",), ("companionship", "informational"), 5),
    (("faith",), ("emotional", "companionship"), 4),
    (("mentor",), ("informational",), 2),
    (("other",), ("practical",), 1),
)
EXTRA_CIRCLES: dict[str, int] = {"inner": 2, "middle": 20, "outer": 78}
EXTRA_RHYTHMS: dict[str, tuple[int, int]] = {
    "inner": (5, 14),
    "middle": (14, 60),
    "outer": (60, 365),
}
EXTRA_CHANNELS = ("in_person", "call", "video", "message", "online", "letter")

# (name, kind, schedule, local (hour, minute), channel)
EXTRA_GROUPS: tuple[tuple[str, str, str, tuple[int, int], str], ...] = (
    ("Thursday running club", "sports", "FREQ=WEEKLY;BYDAY=TH", (18, 0), "in_person"),
    ("Book club", "club", "FREQ=MONTHLY;BYDAY=2WE", (19, 30), "in_person"),
    ("Community choir", "club", "FREQ=WEEKLY;BYDAY=MO", (19, 0), "in_person"),
    ("Food bank volunteers", "volunteering", "FREQ=WEEKLY;BYDAY=SA", (9, 30), "in_person"),
    ("Online recovery forum", "online", "FREQ=WEEKLY;BYDAY=SU", (20, 0), "online"),
    ("Saturday football", "sports", "FREQ=WEEKLY;BYDAY=SA", (11, 0), "in_person"),
    ("Mindful walking group", "support_group", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", (10, 0),
     "in_person"),
    ("Community garden", "volunteering", "FREQ=MONTHLY;BYDAY=3SA", (10, 0), "in_person"),
    ("Quiz night team", "club", "FREQ=MONTHLY;BYDAY=-1FR", (20, 0), "in_person"),
    ("Sunday meeting", "faith", "FREQ=WEEKLY;BYDAY=SU", (11, 0), "in_person"),
)  # fmt: skip
