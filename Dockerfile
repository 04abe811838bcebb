# The official Airflow image of the versions in constraints.txt, with news-etl installed.
FROM apache/airflow:3.3.2-python3.11

COPY --chown=airflow:root pyproject.toml README.md constraints.txt /opt/news-etl/
COPY --chown=airflow:root etl /opt/news-etl/etl
COPY --chown=airflow:root news_etl_airflow /opt/news-etl/news_etl_airflow
COPY --chown=airflow:root sql /opt/news-etl/sql
# A regular (non-editable) install: the SQL ships inside the package as etl.sql.
RUN pip install --no-cache-dir -c /opt/news-etl/constraints.txt /opt/news-etl \
    # The gazetteer's place index, built from the installed packages into the image.
    && news-etl gazetteer
COPY --chown=airflow:root dags /opt/airflow/dags
