"""The warehouse side: the schema (migrations, views, locks: db), its upgrade, staging rows and
COPY, the load's steps and their runner, and the incremental outlet, entity and story syncs."""
