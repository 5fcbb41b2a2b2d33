"""The store: SQLModel tables, Alembic migrations, the durable outbox, privacy scrubbing, reports.

No Textual here.
"""
