-- Which articles are in the warehouse, from which outlet, published when and on what evidence?
select title, source, published_date, published_basis
from report.articles
order by published_date, title;
