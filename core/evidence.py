"""Evidence files (assessments, milestones): accepted by what their bytes are, within a size limit.

Every evidence upload goes through check_evidence_file(); the files are stored outside the web root
under random names and served only through views that scope them like what they belong to.
"""

import re
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Content types accepted as evidence, by what the bytes are (filetype), never by the file name.
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg"}}
EVIDENCE_REFUSED = _("Only PDF, PNG, JPEG, DOCX or XLSX files are accepted (checked by their content, not their name).")


def check_evidence_file(file) -> tuple[str, str]:
    """The content type and the name to keep of an uploaded evidence file, or a ValidationError.

    Every evidence upload (assessments, milestones) goes through here: size limit, type by content, no macros.
    """
    if file.size > settings.EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        )
    file.seek(0)
    kind = filetype.guess(file.read(8192))
    file.seek(0)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise forms.ValidationError(EVIDENCE_REFUSED)
    if EVIDENCE_TYPES[kind.mime] in OFFICE_EXTENSIONS and carries_macros(file):
        raise forms.ValidationError(MACROS_REFUSED)
    return kind.mime, evidence_name(file.name, EVIDENCE_TYPES[kind.mime])


OFFICE_EXTENSIONS = {"docx", "xlsx"}
MACROS_REFUSED = _(
    "The document carries macros (code that runs when it is opened): save it as a plain .docx or .xlsx, "
    "or as PDF, and upload that."
)


def carries_macros(file) -> bool:
    """An office file whose package holds a macro project (vbaProject.bin, or a part declared macro-enabled).

    Evidence is opened by DoH officers on their own computers: a file that can run code is refused, whatever
    its name says. A package that cannot be read as a zip is treated as carrying them.
    """
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            names = [name.lower() for name in package.namelist()]
            types = package.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return True
    finally:
        file.seek(0)
    return any(name.endswith("vbaproject.bin") for name in names) or b"macroenabled" in types.lower()


def evidence_name(name: str, extension: str) -> str:
    """The uploaded name without any path, with the extension its content has (a PDF named x.exe is x.exe.pdf)."""
    name = re.split(r"[\\/]", name)[-1].strip().replace('"', "") or "file"
    current = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if current not in EXTENSION_ALIASES.get(extension, {extension}):
        name = f"{name}.{extension}"
    return name[-255:]
