"""Every environment variable the settings read is documented for operators."""

from __future__ import annotations

import re
from pathlib import Path

import closeknit.settings

ROOT = Path(__file__).resolve().parent.parent


def variables_read_by_settings() -> set[str]:
    source = Path(closeknit.settings.__file__).read_text()
    return set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source))


def test_settings_read_the_expected_variables():
    names = variables_read_by_settings()
    assert {"DATABASE_URL", "CLOSEKNIT_DATA_DIR", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"} <= names


def test_every_setting_is_in_the_configuration_docs():
    documented = set(re.findall(r"`([A-Z_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    missing = variables_read_by_settings() - documented
    assert not missing, f"document these in docs/configuration.md: {sorted(missing)}"
