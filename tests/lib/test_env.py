from __future__ import annotations

import os
import stat

import pytest

from closeknit.lib.env import ConfigError, env_bool, env_int, env_list, env_secret, secret_from_file


def test_env_bool_accepts_only_true_and_false(monkeypatch):
    monkeypatch.setenv("FLAG", "TRUE")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "false")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "yes")
    with pytest.raises(ConfigError, match="FLAG must be 'true' or 'false'"):
        env_bool("FLAG", False)


def test_env_bool_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "")
    assert env_bool("FLAG", False) is False


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("N", "12")
    assert env_int("N", 1) == 12
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ConfigError, match="whole number"):
        env_int("N", 1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", ["x"]) == ["x"]


def test_env_secret_reads_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("PW", raising=False)
    monkeypatch.setenv("PW_FILE", str(secret))
    assert env_secret("PW") == "s3cret"
    monkeypatch.setenv("PW", "direct")
    assert env_secret("PW") == "direct"


def test_secret_file_is_created_once_with_mode_0600(tmp_path):
    path = tmp_path / "sub" / "key"
    first = secret_from_file(path)
    assert len(first) > 40
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_from_file(path) == first
