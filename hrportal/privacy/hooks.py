"""Extension points for modules that keep an employee's data outside the registered model fields (files).

The documents module registers, for example:

    hooks.register_employee_files(lambda employee: [(name, bytes_or_iterable), ...])   # access export
    hooks.register_employee_erasure(lambda employee: number_of_files_deleted)          # erasure

Models with a FileField that point at an employee are handled without a hook (see erasure.py).
"""

_export_file_providers = []
_erasure_handlers = []


def register_employee_files(provider):
    _export_file_providers.append(provider)
    return provider


def register_employee_erasure(handler):
    _erasure_handlers.append(handler)
    return handler


def employee_files(employee):
    for provider in _export_file_providers:
        yield from provider(employee)


def run_erasure_handlers(employee) -> int:
    return sum(int(handler(employee) or 0) for handler in _erasure_handlers)
