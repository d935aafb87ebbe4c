"""Alembic's entry point for storydesk's migrations.

storydesk runs them itself (:func:`storydesk.store.open_store` passes its connection in
``config.attributes["connection"]``). Developers can also run the alembic command with
``-c src/storydesk/store/alembic.ini``, which migrates the database of the settings
(``STORYDESK_DB``) or ``-x db=URL``.
"""

from alembic import context
from sqlalchemy import create_engine

from storydesk.settings import as_db_url, load_settings
from storydesk.store.models import Base, include_name


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True, include_name=include_name
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("db")
    engine = create_engine(as_db_url(url) if url else load_settings().db_url)
    with engine.begin() as conn:
        _run(conn)
