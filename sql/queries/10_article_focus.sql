-- What is each article about, where: its main country and main town or division.
select a.title, f.focus_country, f.focus_place, f.focus_feature_code
from report.article_focus as f
inner join report.articles as a on a.article_id = f.article_id
order by a.published_date, a.title;
