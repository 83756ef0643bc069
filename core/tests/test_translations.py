"""Every Vietnamese catalogue of the project is complete, and every page shows its messages as it translates them.

Django merges the catalogues: LOCALE_PATHS first, then the apps, the earlier in INSTALLED_APPS the stronger
(django.contrib.admin and auth, crispy_forms, django_filters, django_celery_beat, simple_history and axes
come before ours). The same English text (and context) translated by an earlier catalogue replaces ours on
our pages: "Save" would read "Lưu lại" (the admin's), a report's "Staff" section the facility role
"Nhân viên". A message whose meaning differs gets a context in the code; one whose Django wording does not
suit the portal is set in the project catalogue (rollout_portal/catalogue_overrides.py says why).

These tests read the compiled .mo files (`make test` compiles them first), found under BASE_DIR.
"""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

NOT_OURS = {".venv", "node_modules", ".git"}


def catalogues() -> list[Path]:
    """The project's Vietnamese .po files: the project catalogue (locale/) and each app's."""
    found = []
    for directory, subdirectories, files in os.walk(settings.BASE_DIR):
        subdirectories[:] = sorted(name for name in subdirectories if name not in NOT_OURS)
        if Path(directory).match("locale/vi/LC_MESSAGES") and "django.po" in files:
            found.append(Path(directory) / "django.po")
    return sorted(found)


CATALOGUES = catalogues()


def name(po: Path) -> str:
    """The app a catalogue belongs to ("locale" for the project catalogue), for the test ids."""
    return po.relative_to(settings.BASE_DIR).parts[0]


def shown_in_vietnamese(key, plural) -> str:
    """What a page shows for one key of a compiled catalogue: "context\\x04msgid", or (msgid, plural index)."""
    msgid, index = key if isinstance(key, tuple) else (key, None)
    context, _, msgid = msgid.rpartition("\x04")
    if index is None:
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    number = next(n for n in range(1000) if plural(n) == index)  # a count that picks this plural form
    if context:
        return translation.npgettext(context, msgid, msgid, number)
    return translation.ngettext(msgid, msgid, number)


def test_every_catalogue_is_found():
    names = {name(po) for po in CATALOGUES}
    assert {"locale", "core", "facilities", "reports", "assessments", "compliance", "dashboard"} <= names
    assert not {".venv", "node_modules"} & names


@pytest.mark.parametrize("po", CATALOGUES, ids=name)
def test_no_other_catalogue_overrides_ours(po):
    """Every message of this catalogue reads, in Vietnamese, as this catalogue translates it."""
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} is missing or older: compilemessages"
    with mo.open("rb") as file:
        ours = gettext.GNUTranslations(file)
    keys = [key for key in ours._catalog if key and key != ("", 0)]
    assert keys, f"{mo} has no messages"
    with translation.override("vi"):
        shown = {key: shown_in_vietnamese(key, ours.plural) for key in keys}
    overridden = [
        f"{key!r}: ours {ours._catalog[key]!r}, shown {text!r}"
        for key, text in shown.items()
        if text != ours._catalog[key]
    ]
    assert not overridden, "another catalogue wins:\n" + "\n".join(overridden)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=name)
def test_the_catalogue_is_complete(po):
    """No English left on a page: every message translated, none fuzzy (msgfmt leaves those out)."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated messages." in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr
    assert not re.search(r"^#,.*\bfuzzy\b", po.read_text(), re.MULTILINE)
