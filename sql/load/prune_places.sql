-- Places the run's retired versions named that no current article names any more: gone from
-- the place dimension, as a load of the final files alone would never have added them.
--
-- reads: place_gone
delete from dwh.dim_place as p
using place_gone as g
where p.geonameid = g.geonameid
    and not exists (select 1 from dwh.article_place as ap where ap.geonameid = g.geonameid);
