-- bench/peer.sql — what landpolicy is measured against: R1.1 and R2.1 written by hand, the way a
-- good DBA would without the extension (load after bench/generate.sql).
--
--   peer    PL/pgSQL AFTER INSERT row triggers, one per rule, over copies of the layers cut with
--           ST_Subdivide (≤ 128 vertices a piece, as landpolicy keeps them) and GiST-indexed:
--           ST_Intersects to find the pieces, sum(ST_Area(ST_Intersection)) for the overlap, a
--           violation when it exceeds the tolerance and the row's use is construction land (the same
--           test as landpolicy's: lc_three_class = 'construction').  Trigger arguments: the mode
--           ('reject' raises check_violation, 'record' writes bench.peer_violation, as landpolicy's
--           modes do) and the tolerance in m² (landpolicy's overlap.tolerance_m2 is 1).
--   naive   the same triggers against the raw layers (5,000-vertex polygons; GiST-indexed too).
--   hand_audit  the best set-based SQL for the audit: both rules over a whole table in one query,
--           the same answer as landpolicy.audit() (rule, row key, counted overlap m²).
-- Neither the peer nor the hand-written audit looks at exemptions: the bench has none, and
-- landpolicy's answer does not depend on them here.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- the layers, subdivided and indexed
DROP TABLE IF EXISTS bench.peer_redline, bench.peer_pbf;
CREATE TABLE bench.peer_redline AS SELECT id, ST_Subdivide(geom, 128) AS geom FROM bench.eco_redline;
CREATE TABLE bench.peer_pbf AS SELECT id, ST_Subdivide(geom, 128) AS geom FROM bench.pbf;
CREATE INDEX ON bench.peer_redline USING gist (geom);
CREATE INDEX ON bench.peer_pbf USING gist (geom);
VACUUM (FREEZE, ANALYZE) bench.peer_redline, bench.peer_pbf;

DROP TABLE IF EXISTS bench.peer_violation;
CREATE TABLE bench.peer_violation (
    rule       text NOT NULL,
    parcel_id  int NOT NULL,
    overlap_m2 float8 NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);

-- R1.1: no construction use inside the ecological red line.
CREATE OR REPLACE FUNCTION bench.peer_r1_1() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    overlap float8;
BEGIN
    IF landpolicy.lc_three_class(NEW.use) <> 'construction' THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(ST_Area(ST_Intersection(r.geom, NEW.geom))), 0) INTO overlap
      FROM bench.peer_redline r
     WHERE ST_Intersects(r.geom, NEW.geom);
    IF overlap > TG_ARGV[1]::float8 THEN
        IF TG_ARGV[0] = 'reject' THEN
            RAISE EXCEPTION 'R1.1: construction use % overlaps the ecological red line by % m²', NEW.use, round(overlap::numeric, 2)
                USING ERRCODE = 'check_violation', CONSTRAINT = 'R1.1';
        END IF;
        INSERT INTO bench.peer_violation (rule, parcel_id, overlap_m2) VALUES ('R1.1', NEW.id, overlap);
    END IF;
    RETURN NULL;
END
$$;

-- R2.1: no construction use on permanent basic farmland.
CREATE OR REPLACE FUNCTION bench.peer_r2_1() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    overlap float8;
BEGIN
    IF landpolicy.lc_three_class(NEW.use) <> 'construction' THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(ST_Area(ST_Intersection(r.geom, NEW.geom))), 0) INTO overlap
      FROM bench.peer_pbf r
     WHERE ST_Intersects(r.geom, NEW.geom);
    IF overlap > TG_ARGV[1]::float8 THEN
        IF TG_ARGV[0] = 'reject' THEN
            RAISE EXCEPTION 'R2.1: construction use % overlaps permanent basic farmland by % m²', NEW.use, round(overlap::numeric, 2)
                USING ERRCODE = 'check_violation', CONSTRAINT = 'R2.1';
        END IF;
        INSERT INTO bench.peer_violation (rule, parcel_id, overlap_m2) VALUES ('R2.1', NEW.id, overlap);
    END IF;
    RETURN NULL;
END
$$;

-- The naive version: the same, against the raw layers.
CREATE OR REPLACE FUNCTION bench.naive_r1_1() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    overlap float8;
BEGIN
    IF landpolicy.lc_three_class(NEW.use) <> 'construction' THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(ST_Area(ST_Intersection(r.geom, NEW.geom))), 0) INTO overlap
      FROM bench.eco_redline r
     WHERE ST_Intersects(r.geom, NEW.geom);
    IF overlap > TG_ARGV[1]::float8 THEN
        IF TG_ARGV[0] = 'reject' THEN
            RAISE EXCEPTION 'R1.1: construction use % overlaps the ecological red line by % m²', NEW.use, round(overlap::numeric, 2)
                USING ERRCODE = 'check_violation', CONSTRAINT = 'R1.1';
        END IF;
        INSERT INTO bench.peer_violation (rule, parcel_id, overlap_m2) VALUES ('R1.1', NEW.id, overlap);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION bench.naive_r2_1() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    overlap float8;
BEGIN
    IF landpolicy.lc_three_class(NEW.use) <> 'construction' THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(ST_Area(ST_Intersection(r.geom, NEW.geom))), 0) INTO overlap
      FROM bench.pbf r
     WHERE ST_Intersects(r.geom, NEW.geom);
    IF overlap > TG_ARGV[1]::float8 THEN
        IF TG_ARGV[0] = 'reject' THEN
            RAISE EXCEPTION 'R2.1: construction use % overlaps permanent basic farmland by % m²', NEW.use, round(overlap::numeric, 2)
                USING ERRCODE = 'check_violation', CONSTRAINT = 'R2.1';
        END IF;
        INSERT INTO bench.peer_violation (rule, parcel_id, overlap_m2) VALUES ('R2.1', NEW.id, overlap);
    END IF;
    RETURN NULL;
END
$$;

-- Target tables: the same shape as bench.parcels (primary key, GiST index), one per variant.
-- :measure_tolerance (default 1e12 m²) lets every row through after measuring it in full, as the
-- benchmark's reject-mode runs do for landpolicy (a COPY stops at its first refused row).
\if :{?measure_tolerance}
\else
  \set measure_tolerance 1e12
\endif
DROP TABLE IF EXISTS bench.peer_target, bench.peer_rec_target, bench.naive_target, bench.naive_rec_target;
CREATE TABLE bench.peer_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.peer_rec_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.naive_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.naive_rec_target (LIKE bench.parcels INCLUDING ALL);
SELECT format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON bench.%I FOR EACH ROW EXECUTE FUNCTION bench.%I(%L, %L)',
              f, t, f, m, tol)
FROM (VALUES ('peer_target', 'peer', 'reject', :'measure_tolerance'), ('peer_rec_target', 'peer', 'record', '1'),
             ('naive_target', 'naive', 'reject', :'measure_tolerance'), ('naive_rec_target', 'naive', 'record', '1')) v(t, p, m, tol),
     LATERAL (VALUES (p || '_r1_1'), (p || '_r2_1')) r(f) \gexec

-- The audit, set-based: every parcel of construction use whose overlap with a layer exceeds the tolerance.
CREATE OR REPLACE VIEW bench.hand_audit AS
SELECT 'R1.1'::text AS rule, p.id::text AS row_key, sum(ST_Area(ST_Intersection(r.geom, p.geom))) AS measured
  FROM bench.parcels p
  JOIN bench.peer_redline r ON ST_Intersects(r.geom, p.geom)
 WHERE landpolicy.lc_three_class(p.use) = 'construction'
 GROUP BY p.id
HAVING sum(ST_Area(ST_Intersection(r.geom, p.geom))) > 1.0
UNION ALL
SELECT 'R2.1', p.id::text, sum(ST_Area(ST_Intersection(r.geom, p.geom)))
  FROM bench.parcels p
  JOIN bench.peer_pbf r ON ST_Intersects(r.geom, p.geom)
 WHERE landpolicy.lc_three_class(p.use) = 'construction'
 GROUP BY p.id
HAVING sum(ST_Area(ST_Intersection(r.geom, p.geom))) > 1.0;
