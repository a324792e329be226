"""Alembic environment: runs on the connection ``coach.store.migrate`` hands over."""

from alembic import context

from coach.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through coach.store.migrate (coach db upgrade)")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
