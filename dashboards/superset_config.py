"""Superset's settings for news-etl: the same file in docker-compose and in the tests.

Every secret and address comes from the environment, so nothing secret is in the repository.
"""

import os

# Signs session cookies and encrypts the database passwords kept in the metadata database.
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
# Superset's own metadata (users, datasets, charts, dashboards): never the warehouse.
SQLALCHEMY_DATABASE_URI = os.environ["SUPERSET_METADATA_URL"]

# The dashboard's filters are the native filter bar; cross-filters let a click on a bar filter
# the other charts.
FEATURE_FLAGS = {
    "DASHBOARD_CROSS_FILTERS": True,
}

# The warehouse is read by the role news_reader; no one uploads files or writes through
# SQL Lab.
CSV_EXTENSIONS: set[str] = set()
EXCEL_EXTENSIONS: set[str] = set()
COLUMNAR_EXTENSIONS: set[str] = set()

# Rows a chart may fetch; the dashboard's charts aggregate, so this is only a guard.
ROW_LIMIT = 10000
# Thumbnails and alerts need Celery workers and a screenshot browser; the stack has neither.
THUMBNAILS_ENABLE = False
ALERT_REPORTS_NOTIFICATION_DRY_RUN = True
