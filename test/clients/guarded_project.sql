-- The database both QGIS tests edit (test/qgis.sh, test/qgis_server.sh): a 1 km red-line square at
-- (40500000, 2890000) in EPSG 4528 and a project table guarded by R1.1, messages in both languages.
-- The use is a varchar, as in a 三调 table: QGIS 3.22 ignores columns of extension types ("Field …
-- ignored, because of unsupported type b"), so a table edited in QGIS keeps its codes as text.
SET client_min_messages = warning;
CREATE EXTENSION landpolicy CASCADE;
SELECT format('ALTER DATABASE %I SET landpolicy.lang = %L', current_database(), 'both') \gexec
CREATE TABLE redline (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
INSERT INTO redline (geom) VALUES
    ('SRID=4528;MULTIPOLYGON(((40500000 2890000,40501000 2890000,40501000 2891000,40500000 2891000,40500000 2890000)))');
SELECT landpolicy.register_layer('eco_redline', 'redline');
CREATE TABLE project (id serial PRIMARY KEY, name text, dlbm varchar(5), approved_on date,
                      geom geometry(Polygon, 4528));
SELECT landpolicy.attach('project', 'R1.1', '{"geom": "geom", "use": "dlbm", "date": "approved_on"}');
