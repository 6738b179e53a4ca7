"""The words the network pages use for people and confirmations."""

from __future__ import annotations

import pytest

from closeknit.network.wording import join_names, logged_message, removed_message, short_name


@pytest.mark.parametrize(
    ("name", "nickname", "expected"),
    [("Sam Rivera", "Sam", "Sam"), ("Ada Okafor", "", "Ada Okafor"), ("Ada", "  ", "Ada")],
)
def test_short_name_prefers_the_nickname(name: str, nickname: str, expected: str) -> None:
    assert short_name(name, nickname) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Sam"], "Sam"),
        (["Sam", "Ada"], "Sam and Ada"),
        (["Sam", "Ada", "Lee"], "Sam, Ada and Lee"),
        (["Sam", "Ada", "Lee", "Jo"], "Sam, Ada, Lee and Jo"),
        (["Sam", "Ada", "Lee", "Jo", "Kim"], "Sam, Ada, Lee and 2 others"),
        (["Sam", "", "Ada"], "Sam and Ada"),
    ],
)
def test_join_names_reads_naturally(names: list[str], expected: str) -> None:
    assert join_names(names) == expected


def test_logged_message_thanks_with_names() -> None:
    assert logged_message(["Sam"]) == "Logged your contact with Sam."
    assert logged_message([]) == "Logged your contact."


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        (0, "Removed Sam."),
        (1, "Removed Sam and the 1 contact log entry that was only with them."),
        (3, "Removed Sam and the 3 contact log entries that were only with them."),
    ],
)
def test_removed_message_says_what_went_too(removed: int, expected: str) -> None:
    assert removed_message("Sam", removed) == expected
