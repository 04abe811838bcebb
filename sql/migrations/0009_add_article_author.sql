-- The article's author as its byline or reporting tail writes it ("Patti Domm"), when the
-- file names one.
alter table dwh.dim_article add column author text;
alter table staging.article add column author text;
