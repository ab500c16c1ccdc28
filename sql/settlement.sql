-- Settlement up the hierarchy (进出平衡: county → city → province, S2 art. 26; 占补平衡: county →
-- province → nation, S4 §4): a surplus is used once, largest deficits first; and the checks of a
-- remediation area (R3.6, R4.4, R2.3).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
\set SHOW_CONTEXT never

-- a crafted city 3501: two deficit counties (350121 −500, 350122 −300) and one surplus county
-- (350123 +600); in city 3502 a surplus county (350203 +1000); in province 36 a lone deficit.
CREATE TABLE ch (admin admincode, yr int, from_class landclass, to_class landclass, area_m2 float8, g int);
INSERT INTO ch VALUES
    ('350121101', 2025, '0101', '0201', 500, 5),
    ('350122', 2025, '0102', '0301', 300, 5),
    ('350123', 2025, '0201', '0101', 600, 5),
    ('350203', 2025, '0301', '0103', 1000, 5),
    ('360121', 2025, '0101', '0201', 50, 5),
    -- 占补: 350121 occupies 800, 350122 occupies 200, 350203 compensates 900; 360121 compensates 50
    ('350121', 2025, '0101', '0601', 800, 4),
    ('350122', 2025, '0103', '0702', 200, 6),
    ('350203', 2025, '1206', '0101', 900, 3),
    ('360121', 2025, '0601', '0102', 50, 3),
    -- another year: 350121 alone in deficit
    ('350121', 2026, '0101', '0201', 10, 5);
-- 进出平衡: 350121's 500 is covered in its city (largest first); 350122 gets the city's last 100
-- and 200 from the province's other city; 360121 has nothing to draw on
SELECT * FROM settle_balance('inout', 'ch', '{"year": "yr", "grade_out": "g", "grade_in": "g"}');
-- 占补平衡: the province pools 350203's 900 for 350121 (800) first, then 350122 gets 100 and
-- the nation covers its last 100 from 360121's 50 … and 50 stays uncovered
SELECT * FROM settle_balance('occupy', 'ch', '{"year": "yr", "grade_out": "g", "grade_in": "g"}');
-- bad input
SELECT * FROM settle_balance('sideways', 'ch', '{"year": "yr"}');
SELECT * FROM settle_balance('inout', 'ch', '{"yeer": "yr"}');
INSERT INTO ch VALUES (NULL, 2025, '0101', '0201', 1, 5);
SELECT * FROM settle_balance('inout', 'ch', '{"year": "yr", "grade_out": "g", "grade_in": "g"}');
DELETE FROM ch WHERE admin IS NULL;

-- the remediation area: changes logged in it over a period, clipped to it
CREATE TABLE tb (id serial PRIMARY KEY, xzq admincode, dlbm landclass, zldj int, bgrq date, geom geometry(Polygon, 4528));
INSERT INTO tb (xzq, dlbm, zldj, bgrq, geom) VALUES
    ('350121101', '0301', NULL, '2025-01-01', ST_MakeEnvelope(50000, 0, 50100, 100, 4528)),
    ('350121101', '0101', 4, '2025-01-01', ST_MakeEnvelope(50200, 0, 50300, 100, 4528)),
    ('350121101', '0702', NULL, '2025-01-01', ST_MakeEnvelope(50400, 0, 50500, 100, 4528)),
    ('350121101', '0102', 6, '2025-01-01', ST_MakeEnvelope(50600, 0, 50700, 100, 4528));
SELECT landpolicy.attach('tb', 'change_log', '{"class": "dlbm", "admin": "xzq", "grade": "zldj", "date": "bgrq"}');
INSERT INTO landpolicy.pbf_baseline VALUES ('350121101', 1000000);
UPDATE tb SET dlbm = '0103', zldj = 3, bgrq = '2025-06-01' WHERE id = 1;   -- forest → dry land, grade 3: +10000
UPDATE tb SET dlbm = '0201', bgrq = '2025-06-01' WHERE id = 2;             -- paddy grade 4 → orchard: −10000
UPDATE tb SET dlbm = '1206', bgrq = '2025-06-01' WHERE id = 3;             -- homestead reclaimed to bare land: −10000 construction
-- the area covers all three: quantity even, quality better (3 ≤ 4), construction down
SELECT * FROM remediation_check(ST_MakeEnvelope(49990, -10, 50510, 110, 4528), '2025-01-01', '2025-12-31');
-- a smaller area that holds only the loss fails R3.6
SELECT rule, item, measured, "limit", pass FROM remediation_check(ST_MakeEnvelope(50190, -10, 50310, 110, 4528), '2025-01-01', '2025-12-31');
-- construction added inside the area fails R4.4
UPDATE tb SET dlbm = '0601', bgrq = '2025-07-01' WHERE id = 4;
SELECT rule, item, measured, "limit", pass FROM remediation_check(ST_MakeEnvelope(50590, -10, 50710, 110, 4528), '2025-01-01', '2025-12-31');
-- outside the period nothing counts
SELECT rule, item, measured, "limit", pass FROM remediation_check(ST_MakeEnvelope(49990, -10, 50710, 110, 4528), '2026-01-01', '2026-12-31');
SELECT * FROM remediation_check(ST_MakeEnvelope(49990, -10, 50710, 110, 4528), '2026-01-01', '2025-12-31');
SELECT * FROM remediation_check(NULL, '2025-01-01', '2025-12-31');

SELECT landpolicy.detach('tb', 'change_log');
DELETE FROM landpolicy.pbf_baseline;
DROP TABLE ch, tb;
