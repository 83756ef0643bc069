"""English texts whose Vietnamese the project catalogue (locale/, in LOCALE_PATHS) sets for every app.

Django merges the catalogues: LOCALE_PATHS first, then the apps in INSTALLED_APPS order, so
django.contrib.admin and django.contrib.auth, listed before our apps, would otherwise translate these
texts on our pages too ("Save" as "Lưu lại", a facility's "active" as "Kích hoạt"). Each wording below
reads right on the admin pages as well. Nothing imports this module: it only gives `makemessages` a
source for the entries, so `--no-obsolete` keeps them in locale/vi/LC_MESSAGES/django.po.
core/tests/test_translations.py fails when another catalogue wins over one of ours again.
"""

from django.utils.translation import gettext_noop

OVERRIDES = [
    # Our buttons (facility members, assessment evidence); admin: an inline row's "Remove" link.
    gettext_noop("Remove"),
    # Our "add a member" button; admin: the "Add" links of the index page.
    gettext_noop("Add"),
    # Our form buttons; admin: the main "Save" button.
    gettext_noop("Save"),
    # A facility still in operation; admin: a user account that may log in.
    gettext_noop("active"),
    # Model field names, written lower-case (Django capitalises them where a label starts).
    gettext_noop("name"),
    # The catalogue's version; admin: the version of a password hash.
    gettext_noop("version"),
]
