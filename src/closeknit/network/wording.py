"""The words the network pages say about people: short names, lists of names, confirmations."""

from __future__ import annotations

from collections.abc import Sequence

# Past this many names a confirmation says "and 3 others" instead of listing everyone.
_MAX_NAMES = 3


def short_name(name: str, nickname: str = "") -> str:
    """What the member calls someone day to day: the nickname when there is one."""
    return nickname.strip() or name.strip()


def join_names(names: Sequence[str]) -> str:
    """ "Sam", "Sam and Ada", "Sam, Ada and Lee", "Sam, Ada, Lee and 2 others"."""
    names = [name for name in names if name]
    if len(names) > _MAX_NAMES + 1:
        rest = len(names) - _MAX_NAMES
        return f"{', '.join(names[:_MAX_NAMES])} and {rest} others"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def logged_message(names: Sequence[str]) -> str:
    """The confirmation after logging contact: "Logged your contact with Sam."."""
    who = join_names(names)
    return f"Logged your contact with {who}." if who else "Logged your contact."


def removed_message(name: str, contacts_removed: int) -> str:
    """The confirmation after deleting a person or group, saying what went with them."""
    if contacts_removed == 0:
        return f"Removed {name}."
    if contacts_removed == 1:
        return f"Removed {name} and the 1 contact log entry that was only with them."
    return (
        f"Removed {name} and the {contacts_removed} contact log entries that were only with them."
    )
