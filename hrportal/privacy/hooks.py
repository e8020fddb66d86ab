"""Extension points for modules that keep an employee's or a company's data outside the registered model
fields (files). The documents module registers its own in `hrportal/documents/privacy.py`:

    hooks.register_employee_files(lambda employee: [(name, bytes_or_iterable_of_bytes), ...])  # access export
    hooks.register_employee_erasure(lambda employee: number_of_files_deleted)  # erasure, company deletion
    hooks.register_company_erasure(lambda company_id: number_of_files_deleted)  # company deletion, last
    hooks.register_stored_file_references(lambda company_id: storage_names_rows_point_at)  # orphan sweep
    hooks.register_orphan_file_sweep(lambda company_id: number_of_orphan_files_deleted)  # retention sweep

Models with a FileField that point at an employee are handled without a hook (see erasure.py).
"""

_export_file_providers = []
_erasure_handlers = []
_company_erasure_handlers = []
_stored_file_reference_providers = []
_orphan_file_sweeps = []


def _register(handlers, handler):
    if handler not in handlers:  # idempotent: ready() may run more than once (tests)
        handlers.append(handler)
    return handler


def register_employee_files(provider):
    return _register(_export_file_providers, provider)


def register_employee_erasure(handler):
    return _register(_erasure_handlers, handler)


def register_company_erasure(handler):
    return _register(_company_erasure_handlers, handler)


def register_stored_file_references(provider):
    return _register(_stored_file_reference_providers, provider)


def register_orphan_file_sweep(handler):
    return _register(_orphan_file_sweeps, handler)


def stored_file_references(company_id) -> set[str]:
    """Every storage name a row of the company points at (documents, signed PDFs, photos, exports)."""
    names: set[str] = set()
    for provider in _stored_file_reference_providers:
        names.update(name for name in provider(company_id) if name)
    return names


def run_orphan_file_sweeps(company_id) -> int:
    return sum(int(handler(company_id) or 0) for handler in _orphan_file_sweeps)


def employee_files(employee):
    for provider in _export_file_providers:
        yield from provider(employee)


def run_erasure_handlers(employee) -> int:
    return sum(int(handler(employee) or 0) for handler in _erasure_handlers)


def run_company_erasure_handlers(company_id) -> int:
    return sum(int(handler(company_id) or 0) for handler in _company_erasure_handlers)
