from django.apps import AppConfig


class RowSecurityConfig(AppConfig):
    name = "hrportal.rowsecurity"
    label = "rowsecurity"
    verbose_name = "Row-level security"

    def ready(self):
        from django.db.backends.signals import connection_created

        from hrportal.rowsecurity.session import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="rowsecurity-apply-scope")
