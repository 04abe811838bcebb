"""news-etl's Airflow glue: what a DAG's tasks and the Celery workers need from Airflow (the
warehouse connection and the landing Variable, the workers' Celery config). The pipeline itself
(`etl`) imports nothing from Airflow."""
