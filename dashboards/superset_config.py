"""Superset's settings for news-etl: the same file in docker-compose and in the tests.

Every secret and address comes from the environment, so nothing secret is in the repository.
Everything else is Superset's default; what the warehouse connection may do (read only: no DML,
no file uploads, no CREATE TABLE AS) is set on the connection, in dashboards/assets/databases/.
"""

import os

# Signs session cookies and encrypts the database passwords kept in the metadata database.
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
# Superset's own metadata (users, datasets, charts, dashboards): never the warehouse.
SQLALCHEMY_DATABASE_URI = os.environ["SUPERSET_METADATA_URL"]
