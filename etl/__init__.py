"""news-etl: news articles from a landing zone into a PostgreSQL star schema."""

__version__ = "0.1.0"
