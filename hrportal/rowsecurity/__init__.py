"""PostgreSQL row-level security: the second wall around each company's rows (issue #13).

The ORM's scoped manager is the first wall; this app makes the database refuse the same thing on its own.
`session` tells the connection which company the current scope is for, `roles` creates the application
role and its grants, and the migration holds the policies. SQLite has no row-level security: there all of
this is a no-op and the manager alone keeps tenants apart.
"""
