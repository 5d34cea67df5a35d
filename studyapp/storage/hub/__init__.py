"""The PostgreSQL group hub's storage: its connection (:mod:`.connect`), its own Alembic
chain (:mod:`.schema`, ``migrations/``), the administrator's logins (:mod:`.admin`),
what a member's or facilitator's app reads and writes (:mod:`.store`) and how a mock exam
sitting is stored compactly (:mod:`.compact`, schema ``h0002``).

psycopg is imported only when a hub is used (the folder back end needs nothing
installed). Access rules live in PostgreSQL itself (grants and row-level security, see
``migrations/versions/h0001_hub_schema.py``); this package never relies on the app to
enforce them.
"""
