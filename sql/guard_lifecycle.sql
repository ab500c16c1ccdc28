-- What happens around the guards: dropped source and guarded tables, uses that cannot be judged,
-- who may read the layers' copies.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE hx (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO hx VALUES (1, ST_MakeEnvelope(40500000, 2890000, 40501000, 2891000, 4528));
CREATE TABLE jbnt (id int PRIMARY KEY, geom geometry(Polygon, 4528));
INSERT INTO jbnt VALUES (1, ST_MakeEnvelope(40510000, 2890000, 40511000, 2891000, 4528));
SELECT landpolicy.register_layer('eco_redline', 'hx');
SELECT landpolicy.register_layer('pbf', 'jbnt');
CREATE TABLE xm (id serial PRIMARY KEY, use landpolicy.landclass, geom geometry(Polygon, 4528));
SELECT landpolicy.attach('xm', 'R1.1', '{"use": "use"}');

-- a first-level class that mixes construction and other land cannot be judged by a construction rule
INSERT INTO xm (use, geom) VALUES ('10', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));
-- a first-level class wholly of construction land (05 商业服务业用地) is judged like its codes
INSERT INTO xm (use, geom) VALUES ('05', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));
-- 1006 rural road is agricultural land in the 三调 classification: not R1.1's concern
INSERT INTO xm (use, geom) VALUES ('1006', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));
-- a row the rule does not concern needs no geometry while no core-zone layer is registered
INSERT INTO xm (use, geom) VALUES ('0301', NULL);
-- but a construction row does
INSERT INTO xm (use, geom) VALUES ('0601', NULL);

-- the layers' copies are not readable by roles without rights on them; the layers view is
CREATE ROLE lp_reader;
GRANT USAGE ON SCHEMA landpolicy TO lp_reader;
SET ROLE lp_reader;
SELECT count(*) FROM landpolicy.layer_piece;
SELECT kind, features FROM landpolicy.layers ORDER BY kind;
RESET ROLE;

-- dropping a layer's source table unregisters the layer: rules that need it fail closed
DROP TABLE hx;
SELECT kind FROM landpolicy.layers ORDER BY kind;
INSERT INTO xm (use, geom) VALUES ('0601', ST_MakeEnvelope(40500100, 2890100, 40500200, 2890200, 4528));

-- dropping a ledger-guarded table forgets its attachment and rebuilds the ledger from what remains
CREATE TABLE adj_a (id serial PRIMARY KEY, township landpolicy.admincode, direction text, geom geometry(Polygon, 4528));
CREATE TABLE adj_b (id serial PRIMARY KEY, township landpolicy.admincode, direction text, geom geometry(Polygon, 4528));
INSERT INTO landpolicy.pbf_baseline VALUES ('350121101', 1000000);
SELECT landpolicy.attach('adj_a', 'R2.3', '{"township": "township", "direction": "direction"}');
SELECT landpolicy.attach('adj_b', 'R2.3', '{"township": "township", "direction": "direction"}');
INSERT INTO adj_a (township, direction, geom) VALUES ('350121101', 'out', ST_MakeEnvelope(0, 0, 100, 100, 4528));
INSERT INTO adj_b (township, direction, geom) VALUES ('350121101', 'out', ST_MakeEnvelope(0, 0, 100, 200, 4528));
SELECT scope, out_m2 FROM landpolicy.ledger WHERE rule = 'R2.3';
DROP TABLE adj_a;
SELECT target, rule FROM landpolicy.attachments ORDER BY target::text, rule;
SELECT scope, out_m2 FROM landpolicy.ledger WHERE rule = 'R2.3';
SELECT * FROM landpolicy.verify();

DROP TABLE adj_b, xm, jbnt;
SELECT count(*) AS attachments, (SELECT count(*) FROM landpolicy.layer) AS layers, (SELECT count(*) FROM landpolicy.ledger) AS ledger_rows
FROM landpolicy.attachment;
DELETE FROM landpolicy.pbf_baseline;
DROP OWNED BY lp_reader;
DROP ROLE lp_reader;
