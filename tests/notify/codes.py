"""Reading the code out of a test message, as the member would, from the real receivers."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.receivers import HttpReceiver, Inbox

CODE = re.compile(r"Your code is (\d{6})\.")


def code_in(text: str) -> str:
    found = CODE.search(text)
    assert found, f"no code in {text!r}"
    return found.group(1)


def mailed_text(inbox: Inbox, index: int = -1) -> str:
    mail = inbox.messages[index]
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def mailed_code(inbox: Inbox, index: int = -1) -> str:
    return code_in(mailed_text(inbox, index))


def posted(receiver: HttpReceiver, index: int = -1) -> dict[str, Any]:
    return json.loads(receiver.requests[index].body)


def posted_code(receiver: HttpReceiver, index: int = -1) -> str:
    return code_in(posted(receiver, index)["body"])


def other_code(code: str) -> str:
    """A well-formed code that is certainly not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
