-- R2.5 PBF removed inside the urban development boundary (城镇开发边界) needs a provincial on-site
-- survey; R2.6 (Fujian, S3 三(三)) survey thresholds: > 10 mu outside the UDB; ≥ 5 mu in plains,
-- ≥ 3 mu in hills inside it.  A removal without a survey reference above them is refused.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE kfbj (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO kfbj VALUES (1, ST_MakeEnvelope(40600000, 2890000, 40601000, 2891000, 4528));
CREATE TABLE removal (id serial PRIMARY KEY, township landpolicy.admincode, direction text, survey_no text,
                      terrain text, recorded_on date, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('removal', 'R2.5', '{"township": "township", "direction": "direction", "survey": "survey_no", "date": "recorded_on"}');
-- the UDB layer is needed: fail closed until it is registered
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-01-01', ST_MakeEnvelope(40600100, 2890100, 40600200, 2890200, 4528));
SELECT landpolicy.register_layer('udb', 'kfbj');
-- inside the UDB without a survey: refused; with one: passes; a supplement (in) is not concerned
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-01-01', ST_MakeEnvelope(40600100, 2890100, 40600200, 2890200, 4528));
INSERT INTO removal (township, direction, survey_no, recorded_on, geom) VALUES ('350121101', 'out', '闽自然资踏勘〔2026〕7号', '2026-01-01', ST_MakeEnvelope(40600100, 2890100, 40600200, 2890200, 4528));
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'in', '2026-01-01', ST_MakeEnvelope(40600300, 2890100, 40600400, 2890200, 4528));
-- outside the UDB: R2.5 is not concerned
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-01-01', ST_MakeEnvelope(40610000, 2890000, 40610100, 2890100, 4528));
-- removing the survey reference later is checked like an insert
UPDATE removal SET survey_no = NULL WHERE survey_no IS NOT NULL;
SELECT landpolicy.detach('removal', 'R2.5');

SELECT landpolicy.attach('removal', 'R2.6', '{"township": "township", "direction": "direction", "survey": "survey_no", "terrain": "terrain", "date": "recorded_on"}');
-- outside the UDB, Fujian: 10 mu (6666.67 m²) passes, just over fails
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-01-01', ST_MakeEnvelope(40620000, 2890000, 40620000 + 10 * 10000.0 / 15 / 10, 2890010, 4528));
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-01-01', ST_MakeEnvelope(40620000, 2890020, 40620000 + 10 * 10000.0 / 15 / 10 + 0.01, 2890030, 4528));
-- inside the UDB, plain: under 5 mu passes, exactly 5 mu (3333.33 m²) fails
INSERT INTO removal (township, direction, terrain, recorded_on, geom) VALUES ('350121101', 'out', 'plain', '2026-01-01', ST_MakeEnvelope(40600000, 2890500, 40600000 + 5 * 10000.0 / 15 / 10 - 0.01, 2890510, 4528));
INSERT INTO removal (township, direction, terrain, recorded_on, geom) VALUES ('350121101', 'out', 'plain', '2026-01-01', ST_MakeEnvelope(40600000, 2890600, 40600000 + 5 * 10000.0 / 15 / 10, 2890610, 4528));
-- inside the UDB, hills (丘陵): exactly 3 mu fails; the terrain must be given
INSERT INTO removal (township, direction, terrain, recorded_on, geom) VALUES ('350121101', 'out', '丘陵', '2026-01-01', ST_MakeEnvelope(40600000, 2890700, 40600000 + 3 * 10000.0 / 15 / 10, 2890710, 4528));
INSERT INTO removal (township, direction, terrain, recorded_on, geom) VALUES ('350121101', 'out', 'hill', '2026-01-01', ST_MakeEnvelope(40600000, 2890800, 40600000 + 3 * 10000.0 / 15 / 10 - 0.01, 2890810, 4528));
INSERT INTO removal (township, direction, terrain, recorded_on, geom) VALUES ('350121101', 'out', NULL, '2026-01-01', ST_MakeEnvelope(40600000, 2890900, 40600010, 2890910, 4528));
-- with a survey reference the thresholds do not matter
INSERT INTO removal (township, direction, terrain, survey_no, recorded_on, geom) VALUES ('350121101', 'out', 'plain', 'x', '2026-01-01', ST_MakeEnvelope(40600000, 2890600, 40600500, 2890700, 4528));
-- the thresholds are Fujian's (S3, 2025-06-24 to 2030-06-23): not in another province, not after the window
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('360121101', 'out', '2026-01-01', ST_MakeEnvelope(40630000, 2890000, 40631000, 2891000, 4528));
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2030-06-24', ST_MakeEnvelope(40640000, 2890000, 40641000, 2891000, 4528));
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2030-06-23', ST_MakeEnvelope(40650000, 2890000, 40651000, 2891000, 4528));
-- bad direction
INSERT INTO removal (township, direction, recorded_on, geom) VALUES ('350121101', 'sideways', '2026-01-01', ST_MakeEnvelope(40660000, 2890000, 40660010, 2890010, 4528));
-- no township: the province's thresholds cannot be found, so a 1500 mu removal is refused, not passed
INSERT INTO removal (township, direction, terrain, recorded_on, geom) VALUES (NULL, 'out', 'plain', '2026-01-01', ST_MakeEnvelope(40600000, 2890000, 40601000, 2891000, 4528));
SELECT count(*) AS rows_in FROM removal;

SELECT landpolicy.detach('removal', 'R2.6');
SELECT landpolicy.unregister_layer('udb');
DROP TABLE removal, kfbj;
