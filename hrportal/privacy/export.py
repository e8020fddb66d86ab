"""The access export (GDPR art. 15): one zip with everything the portal holds about one employee.

- ``data.json``: every registered, exportable personal field of the employee and of every registered model
  that points at the employee (requests, restrictions, documents' metadata), driven by the registry;
- ``export.pdf``: the same, readable;
- ``documents/...``: the employee's files, decrypted (provided by the documents module through
  `hooks.register_employee_files`).

Nothing of other employees or companies can enter: every row is reached from this employee.
"""

import datetime
import io
import json
import zipfile
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from hrportal.pdf import render_pdf
from hrportal.privacy import hooks, registry
from hrportal.tenancy import scoped_manager


def _plain(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool | int | float | list | dict):
        return value
    return str(value)


def _row(instance, fields):
    return {p.field: _plain(getattr(instance, p.field)) for p in fields}


def _related_sections(employee):
    """{model label: [rows]} for each registered model with a foreign key to the employee."""
    sections = {}
    for label in registry.registered_models():
        if label == employee._meta.label:
            continue
        model = apps.get_model(label)
        fks = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is type(employee) and f.many_to_one
        ]
        fields = registry.exported_fields(label)
        if not fks or not fields:
            continue
        manager = scoped_manager(model)
        rows = []
        for fk in fks:
            for instance in manager.filter(**{fk.name: employee.pk}).order_by("pk"):
                rows.append(_row(instance, fields))
        sections[label] = rows
    return sections


def export_data(employee) -> dict:
    fields = registry.exported_fields(employee._meta.label)
    return {
        "exported_at": timezone.now().isoformat(),
        "controller": employee.company.name,
        "subject": {"model": employee._meta.label, "fields": _row(employee, fields)},
        "related": _related_sections(employee),
        "purposes": {p.field: str(p.purpose) for p in fields},
        "retention": {p.field: str(p.retention_text) for p in fields},
    }


def _labels(model_label):
    model = apps.get_model(model_label)
    labels = {}
    for p in registry.exported_fields(model_label):
        try:
            labels[p.field] = str(model._meta.get_field(p.field).verbose_name)
        except Exception:  # a registered name that is not a model field: show it as is
            labels[p.field] = p.field
    return labels


def build_export(employee, *, language="da") -> tuple[bytes, dict]:
    """The zip as bytes and a summary of counts (for the audit log: counts, no contents)."""
    data = export_data(employee)
    labels = _labels(employee._meta.label)
    related = []
    for label, rows in data["related"].items():
        row_labels = _labels(label)
        title = str(apps.get_model(label)._meta.verbose_name_plural)
        related.append((title, [[(row_labels.get(k, k), v) for k, v in row.items()] for row in rows]))
    pdf = render_pdf(
        "hrportal/privacy/export_pdf.html",
        {
            "title": data["controller"],
            "header": data["controller"],
            "data": data,
            "subject_rows": [(labels[k], v) for k, v in data["subject"]["fields"].items()],
            "related": related,
            "purposes": [
                (labels[k], purpose, data["retention"][k]) for k, purpose in data["purposes"].items()
            ],
        },
        language,
        created_at=datetime.datetime.fromisoformat(data["exported_at"]),
    )
    buffer = io.BytesIO()
    files = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
        archive.writestr("export.pdf", pdf)
        for name, content in hooks.employee_files(employee):
            # Chunk by chunk: a provider may stream a large decrypted file.
            with archive.open(f"documents/{name}", "w") as entry:
                for chunk in [content] if isinstance(content, bytes) else content:
                    entry.write(chunk)
            files += 1
    summary = {
        "fields": len(data["subject"]["fields"]),
        "related_rows": sum(map(len, data["related"].values())),
        "files": files,
    }
    return buffer.getvalue(), summary
