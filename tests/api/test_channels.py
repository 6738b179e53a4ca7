"""/api/v1/channels and /api/v1/notification-preferences: add a channel (its test message goes
out at once), verify it with the code, change it, delete it; and the member's preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from closeknit.api.channels import checked_config
from closeknit.notify.models import Channel, Message, Preferences
from closeknit.notify.verification import MAX_TRIES
from tests.api.conftest import error_fields, error_messages
from tests.notify.codes import mailed_code, other_code, posted_code

CHANNELS = "/api/v1/channels"
PREFERENCES = "/api/v1/notification-preferences"


def url(channel: Any, action: str = "") -> str:
    pk = channel if isinstance(channel, int) else channel.pk
    return f"{CHANNELS}/{pk}" + (f"/{action}" if action else "")


def add_email(api: Any, address: str = "robin@example.org", **extra: Any) -> Any:
    return api.post(CHANNELS, {"kind": "email", "config": {"address": address}, **extra})


def channel_rows(owner: Any) -> list[tuple[Any, ...]]:
    return list(
        Channel.objects.filter(owner=owner)
        .order_by("pk")
        .values_list("pk", "label", "verified_at", "verification_digest", "quiet_from")
    )


# Adding


@pytest.mark.django_db
def test_adding_a_channel_sends_the_test_message_and_says_so(api, member, smtp_inbox):
    response = add_email(api, label="Inbox", quiet_from="22:00", quiet_until="07:00")
    assert response.status_code == 201, response.content
    body = response.json()
    channel = Channel.objects.get(owner=member)
    assert body["id"] == channel.pk
    assert body["kind"] == "email"
    assert body["label"] == "Inbox"
    assert body["destination"] == "robin@example.org"
    assert body["config"] == {"address": "robin@example.org"}
    assert body["verified"] is False
    assert body["verified_at"] is None
    assert body["code_sent_at"] is not None
    assert (body["quiet_from"], body["quiet_until"]) == ("22:00:00", "07:00:00")
    assert body["test_message"] == {"sent": True, "error": ""}
    assert len(smtp_inbox.messages) == 1


@pytest.mark.django_db
def test_the_code_from_the_mail_verifies_the_channel(api, member, smtp_inbox):
    created = add_email(api).json()
    response = api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)})
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True
    assert response.json()["code_sent_at"] is None
    assert Channel.objects.get(pk=created["id"]).is_verified
    # Sent twice (a retry after a lost answer): still verified, still 200.
    again = api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)})
    assert again.status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_is_422_and_changes_nothing_else(api, member, smtp_inbox):
    created = add_email(api).json()
    code = mailed_code(smtp_inbox)
    response = api.post(url(created["id"], "verify"), {"code": other_code(code)})
    assert error_fields(response) == ["code"]
    assert "That isn't the code we sent" in error_messages(response)
    assert not Channel.objects.get(pk=created["id"]).is_verified
    assert api.post(url(created["id"], "verify"), {"code": code}).status_code == 200


@pytest.mark.django_db
def test_five_wrong_codes_and_a_new_test_message_is_needed(api, member, smtp_inbox):
    created = add_email(api).json()
    code = mailed_code(smtp_inbox)
    for _ in range(MAX_TRIES):
        api.post(url(created["id"], "verify"), {"code": other_code(code)})
    response = api.post(url(created["id"], "verify"), {"code": code})
    assert "tried too many times" in error_messages(response)
    test = api.post(url(created["id"], "test"), None)
    assert test.status_code == 200
    assert test.json()["test_message"] == {"sent": True, "error": ""}
    assert api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)}).json()[
        "verified"
    ]


@pytest.mark.django_db
def test_an_old_code_is_expired(api, member, smtp_inbox):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        created = add_email(api).json()
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        response = api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)})
    assert "more than an hour old" in error_messages(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "email", "config": {"address": "robin@"}}, "config"),
        ({"kind": "email", "config": {"address": "robin@example.org", "cc": "x"}}, "config"),
        ({"kind": "email", "config": {"address": 5}}, "config"),
        ({"kind": "ntfy", "config": {"topic": "has spaces"}}, "config"),
        ({"kind": "webhook", "config": {"url": "ftp://example.org/"}}, "config"),
        ({"kind": "webpush", "config": {"endpoint": "https://p.example/x", "keys": "k"}}, "config"),
        ({"kind": "pigeon", "config": {}}, "kind"),
        ({"kind": "email", "config": {"address": "a@example.org"}, "quiet_from": "22:00"}, "quiet_until"),
        ({"kind": "email", "config": {"address": "a@example.org"}, "extra": 1}, "extra"),
    ],
)  # fmt: skip
def test_settings_that_wont_work_are_422_by_field_and_nothing_is_added(
    api, member, smtp_inbox, payload, field
):
    response = api.post(CHANNELS, payload)
    assert error_fields(response) == [field], response.content
    assert not Channel.objects.exists()
    assert smtp_inbox.messages == []


@pytest.mark.django_db
def test_a_config_error_names_the_setting(api):
    response = api.post(CHANNELS, {"kind": "email", "config": {"address": "robin@"}})
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "config", "address"]
    response = api.post(CHANNELS, {"kind": "email", "config": {"address": "a@b.org", "cc": "x"}})
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "config", "cc"]
    assert error["msg"] == "An e-mail channel has no setting “cc”; it takes address."


@pytest.mark.django_db
def test_a_webhook_secret_is_made_and_shown_on_creation_and_alone_never_in_the_list(
    api, member, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    response = api.post(CHANNELS, {"kind": "webhook", "config": {"url": http_receiver.url + "/h"}})
    assert response.status_code == 201, response.content
    secret = response.json()["config"]["secret"]
    assert len(secret) >= 32
    assert Channel.objects.get(owner=member).config["secret"] == secret
    assert api.get(url(response.json()["id"])).json()["config"]["secret"] == secret
    (listed,) = api.get(CHANNELS).json()["items"]
    assert "secret" not in listed["config"]
    assert api.post(url(listed["id"], "verify"), {"code": posted_code(http_receiver)}).json()[
        "verified"
    ]


@pytest.mark.django_db
def test_a_404_from_the_webhook_is_in_the_answer_and_the_channels_last_error(
    api, member, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    http_receiver.respond = lambda request: (404, b"{}")
    response = api.post(
        CHANNELS, {"kind": "webhook", "config": {"url": http_receiver.url + "/gone"}}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["test_message"]["sent"] is False
    assert "404" in body["test_message"]["error"]
    assert body["last_error"] == body["test_message"]["error"]
    assert body["last_error_at"] is not None


@pytest.mark.django_db
def test_ntfy_tokens_are_kept_but_never_shown(api, member, settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True
    response = api.post(
        CHANNELS,
        {
            "kind": "ntfy",
            "config": {"server": http_receiver.url, "topic": "robin-7q2x", "token": "tk_abc"},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["config"] == {"server": http_receiver.url, "topic": "robin-7q2x"}
    assert "tk_abc" not in api.get(url(response.json()["id"])).content.decode()
    assert http_receiver.requests[-1].headers["authorization"] == "Bearer tk_abc"


def test_ntfy_is_on_ntfy_sh_unless_said_otherwise():
    # What would be stored, checked without sending anything off this machine.
    assert checked_config("ntfy", {"topic": "robin-7q2x"}) == {
        "server": "https://ntfy.sh",
        "topic": "robin-7q2x",
        "token": "",
    }


# Reading, changing, deleting


@pytest.mark.django_db
def test_the_list_is_paginated_and_only_the_members(api, member, stranger, smtp_inbox):
    for n in range(3):
        add_email(api, f"robin{n}@example.org")
    Channel.objects.create(owner=stranger, kind="email", config={"address": "them@example.org"})
    body = api.get(CHANNELS + "?limit=2").json()
    assert body["count"] == 3
    assert [item["destination"] for item in body["items"]] == [
        "robin0@example.org",
        "robin1@example.org",
    ]


@pytest.mark.django_db
def test_patch_changes_name_and_quiet_hours_and_keeps_it_verified(api, member, smtp_inbox):
    created = add_email(api).json()
    api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)})
    response = api.patch(
        url(created["id"]), {"label": "Evenings off", "quiet_from": "21:00", "quiet_until": "08:00"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["label"], body["quiet_from"], body["quiet_until"]) == (
        "Evenings off",
        "21:00:00",
        "08:00:00",
    )
    assert body["verified"] is True
    assert body["test_message"] is None
    cleared = api.patch(url(created["id"]), {"quiet_from": None, "quiet_until": None}).json()
    assert (cleared["quiet_from"], cleared["quiet_until"]) == (None, None)


@pytest.mark.django_db
def test_patch_to_a_new_address_needs_verifying_again(api, member, smtp_inbox):
    created = add_email(api).json()
    api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)})
    body = api.patch(url(created["id"]), {"config": {"address": "robin@new.example.org"}}).json()
    assert body["verified"] is False
    assert body["test_message"] == {"sent": True, "error": ""}
    assert smtp_inbox.messages[-1]["To"] == "robin@new.example.org"


@pytest.mark.django_db
def test_a_bad_patch_is_422_and_changes_nothing(api, member, smtp_inbox):
    created = add_email(api).json()
    before = channel_rows(member)
    assert error_fields(api.patch(url(created["id"]), {"quiet_from": "22:00"})) == ["quiet_until"]
    assert error_fields(api.patch(url(created["id"]), {"config": {"address": "x"}})) == ["config"]
    assert error_fields(api.patch(url(created["id"]), {"label": None})) == ["label"]
    assert channel_rows(member) == before


@pytest.mark.django_db
def test_delete_removes_the_channel_and_its_messages(api, member, smtp_inbox):
    created = add_email(api).json()
    assert api.delete(url(created["id"])).status_code == 204
    assert not Channel.objects.exists()
    assert not Message.objects.exists()
    assert api.get(url(created["id"])).status_code == 404


@pytest.mark.django_db
def test_a_stranger_gets_404_for_every_operation_and_nothing_changes(
    api, stranger_api, member, smtp_inbox
):
    created = add_email(api).json()
    before = channel_rows(member)
    for response in (
        stranger_api.get(url(created["id"])),
        stranger_api.patch(url(created["id"]), {"label": "Mine"}),
        stranger_api.post(url(created["id"], "verify"), {"code": mailed_code(smtp_inbox)}),
        stranger_api.post(url(created["id"], "test"), None),
        stranger_api.delete(url(created["id"])),
    ):
        assert response.status_code == 404
    assert channel_rows(member) == before
    assert len(smtp_inbox.messages) == 1
    assert stranger_api.get(CHANNELS).json() == {"items": [], "count": 0}


@pytest.mark.django_db
def test_channels_need_a_token(anonymous_api):
    assert anonymous_api.get(CHANNELS).status_code == 401


# Preferences


@pytest.mark.django_db
def test_preferences_start_with_the_defaults_and_reading_writes_nothing(api, member):
    response = api.get(PREFERENCES)
    assert response.status_code == 200
    assert response.json() == {
        "remind_at": "09:00:00",
        "kinds": ["reach_out", "occasion", "appointment", "questionnaire"],
        "appointment_hours_before": 3,
        "digest": "off",
        "digest_weekday": 0,
    }
    assert not Preferences.objects.exists()


@pytest.mark.django_db
def test_put_sets_the_preferences(api, member):
    wanted = {
        "remind_at": "08:30",
        "kinds": ["occasion", "reach_out", "occasion"],
        "appointment_hours_before": 24,
        "digest": "weekly",
        "digest_weekday": 6,
    }
    response = api.put(PREFERENCES, wanted)
    assert response.status_code == 200, response.content
    assert response.json()["kinds"] == ["occasion", "reach_out"]
    saved = Preferences.objects.get(owner=member)
    assert (saved.remind_at, saved.digest, saved.digest_weekday) == (dt.time(8, 30), "weekly", 6)
    assert api.get(PREFERENCES).json()["remind_at"] == "08:30:00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"appointment_hours_before": 0}, "appointment_hours_before"),
        ({"digest_weekday": 7}, "digest_weekday"),
        ({"digest": "hourly"}, "digest"),
        ({"kinds": ["birthdays"]}, "kinds"),
        ({"remind_at": "25:00"}, "remind_at"),
    ],
)
def test_bad_preferences_are_422(api, member, payload, field):
    response = api.put(PREFERENCES, payload)
    assert error_fields(response) == [field]
    assert not Preferences.objects.exists()


@pytest.mark.django_db
def test_a_strangers_preferences_are_their_own(api, stranger_api, member):
    api.put(PREFERENCES, {"digest": "daily"})
    assert stranger_api.get(PREFERENCES).json()["digest"] == "off"
    stranger_api.put(PREFERENCES, {"digest": "weekly"})
    assert Preferences.objects.get(owner=member).digest == "daily"
