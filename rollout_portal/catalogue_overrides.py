"""English texts whose Vietnamese the project catalogue (locale/, in LOCALE_PATHS) sets for every app.

Django merges the catalogues: LOCALE_PATHS first, then the apps in INSTALLED_APPS order, so
django.contrib.admin and django.contrib.auth, listed before our apps, would otherwise translate these
texts on our pages too ("Save" as "Lưu lại", a facility's "active" as "Kích hoạt"). Each wording below
reads right on the admin pages as well. Nothing imports this module: it only gives `makemessages` a
source for the entries, so `--no-obsolete` keeps them in locale/vi/LC_MESSAGES/django.po.
core/tests/test_translations.py fails when another catalogue wins over one of ours again.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

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

# Django's own validation messages, in the portal's Vietnamese: Django's catalogue reads badly
# ("Nhập một số tổng thể.", "... lớn hơn hoặc bằng với 0 ."). Every message a form of ours can show.
VALIDATION = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("This field cannot be blank."),
    gettext_noop("This field cannot be null."),
    gettext_noop("Null characters are not allowed."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
]
