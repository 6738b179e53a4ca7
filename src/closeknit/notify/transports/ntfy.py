"""ntfy (ntfy.sh or a self-hosted server): a push to the phone app subscribed to a topic.

We publish as JSON to the server's root URL (ntfy's "publish as JSON") rather
than as text to /<topic> with Title and Click headers: HTTP headers are
Latin-1 at best, and JSON carries "Zoë 🎉" as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from closeknit.lib.http import HttpError, post, url_problem
from closeknit.notify.transports.base import Outgoing, absolute_url, http_failure

DEFAULT_SERVER = "https://ntfy.sh"
# ntfy's own rule for topic names.
TOPIC = re.compile(r"[-_A-Za-z0-9]{1,64}")
# Emoji short codes ntfy shows in front of the title.
TAGS = {
    "verification": "white_check_mark",
    "reach_out": "wave",
    "occasion": "tada",
    "appointment": "calendar",
    "questionnaire": "memo",
    "digest": "newspaper",
    "appreciation": "heart",
}
HINTS = {
    401: "check the access token.",
    403: "check the access token, and that it may publish to this topic.",
    404: "check the server's address.",
    413: "the message was too long for this server.",
}


class NtfyTransport:
    def __init__(self, config: dict[str, Any]) -> None:
        # Tidied the same way as when it was saved, so a pasted topic address still works.
        tidy, _errors = self.clean_config(config)
        self.server, self.topic, self.token = tidy["server"], tidy["topic"], tidy["token"]

    @staticmethod
    def clean_config(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        server = str(raw.get("server") or "").strip() or DEFAULT_SERVER
        topic = str(raw.get("topic") or "").strip()
        token = str(raw.get("token") or "").strip()
        parts = urlsplit(server)
        if not topic and parts.path.strip("/"):
            # A pasted topic address (https://ntfy.sh/my-topic) holds both parts.
            base, _, topic = parts.path.strip("/").rpartition("/")
            server = parts._replace(path=f"/{base}" if base else "").geturl()
        server = server.rstrip("/")
        errors = {}
        problem = url_problem(server)
        if problem:
            errors["server"] = problem
        elif urlsplit(server).query or urlsplit(server).fragment:
            errors["server"] = "Leave out everything after ? or #: just the server's address."
        if not TOPIC.fullmatch(topic):
            errors["topic"] = (
                "A topic is 1 to 64 letters, digits, - or _ (no spaces), like closeknit-r7q2x."
            )
        if any(ch.isspace() for ch in token):
            errors["token"] = "An access token has no spaces; copy it again from ntfy."
        return {"server": server, "topic": topic, "token": token}, errors

    def send(self, message: Outgoing) -> None:
        payload: dict[str, Any] = {
            "topic": self.topic,
            "title": message.title,
            # ntfy shows "triggered" for an empty message, so the title stands in.
            "message": message.body or message.title,
        }
        if message.url:
            payload["click"] = absolute_url(message.url)
        tag = TAGS.get(message.kind)
        if tag:
            payload["tags"] = [tag]
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            post(self.server + "/", json=payload, headers=headers)
        except HttpError as error:
            raise http_failure(error, HINTS) from None
