-- The land-class change log: attached to a parcel table (attach(t, 'change_log', …)), it records
-- every change of class as (parcel, admin code, from, to, area, grades, date) in an append-only
-- table.  An UPDATE of the class logs the changed area; a split or merge (parents deleted and
-- children inserted in one transaction, matched by a mapped parent-key column or by overlap) logs
-- the class change of each part, settled at commit by a deferred trigger.

CREATE TABLE landpolicy.change_log (
    id           bigserial PRIMARY KEY,
    target       regclass NOT NULL,
    parcel_key   text NOT NULL,
    parent_key   text,
    admin        landpolicy.admincode,
    from_class   landpolicy.landclass NOT NULL,
    to_class     landpolicy.landclass NOT NULL,
    area_m2      float8 NOT NULL CHECK (area_m2 >= 0),
    grade_before int4 CHECK (grade_before BETWEEN 1 AND 15),
    grade_after  int4 CHECK (grade_after BETWEEN 1 AND 15),
    changed_on   date NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('update', 'split', 'merge', 'reshape')),
    geom         geometry,
    by_role      name NOT NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_admin ON landpolicy.change_log (admin, changed_on);
CREATE INDEX change_log_geom ON landpolicy.change_log USING gist (geom);
COMMENT ON TABLE landpolicy.change_log IS
    'append-only log of land-class changes recorded by the change_log rule: parcel, admin code, from, to, area, grades, date, part geometry';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('landpolicy.change_log_id_seq', '');
GRANT SELECT ON landpolicy.change_log TO PUBLIC;

CREATE FUNCTION landpolicy.change_log_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    RAISE EXCEPTION 'landpolicy.change_log is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a correcting change in the parcel table instead; the log keeps what happened.';
END
$$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON landpolicy.change_log
    FOR EACH ROW EXECUTE FUNCTION landpolicy.change_log_append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON landpolicy.change_log
    FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.change_log_append_only();
-- session_replication_role = replica must not open the log either
ALTER TABLE landpolicy.change_log ENABLE ALWAYS TRIGGER change_log_append_only, ENABLE ALWAYS TRIGGER change_log_no_truncate;

-- Deleted parents and inserted children of the running transaction, waiting for the commit.
CREATE TABLE landpolicy.change_pending (
    txid       xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    target     regclass NOT NULL,
    op         char(1) NOT NULL CHECK (op IN ('D', 'I')),
    row_key    text NOT NULL,
    parent_key text,
    admin      landpolicy.admincode,
    class      landpolicy.landclass,
    grade      int4,
    changed_on date,
    geom       geometry
);
CREATE INDEX change_pending_tx ON landpolicy.change_pending (txid, target);
COMMENT ON TABLE landpolicy.change_pending IS 'splits and merges of open transactions, matched at commit';

-- Called by the guard trigger for each row change of a table the change_log rule is attached to.
CREATE FUNCTION landpolicy.change_log_record(target regclass, row_key text, options jsonb,
                                             old_row jsonb, old_geom geometry, new_row jsonb, new_geom geometry,
                                             by_role name)
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    r jsonb := coalesce(new_row, old_row);
    g geometry := coalesce(new_geom, old_geom);
    cls landpolicy.landclass := landpolicy.input(r, options, 'class');
    changed date := coalesce(landpolicy.input(r, options, 'date')::date, current_date);
    part geometry;
BEGIN
    IF cls IS NULL THEN
        RAISE EXCEPTION 'the change log needs the land class of parcel %, and it is NULL', row_key
            USING ERRCODE = 'not_null_violation';
    END IF;
    PERFORM landpolicy.checked_geometry(g);
    IF old_row IS NOT NULL AND new_row IS NOT NULL THEN
        -- an UPDATE: a change of class is logged over the area that kept its place
        IF landpolicy.input(old_row, options, 'class')::landpolicy.landclass OPERATOR(landpolicy.=) cls THEN
            RETURN;
        END IF;
        part := CASE WHEN ST_Equals(old_geom, new_geom) THEN new_geom
                     ELSE ST_CollectionExtract(ST_Intersection(old_geom, new_geom), 3) END;
        -- a parcel redrawn elsewhere changed no land's class where it was: nothing to log
        IF ST_IsEmpty(part) OR landpolicy.measured_area(part) = 0 THEN
            RETURN;
        END IF;
        INSERT INTO landpolicy.change_log (target, parcel_key, admin, from_class, to_class, area_m2,
                                           grade_before, grade_after, changed_on, kind, geom, by_role)
        VALUES (target, row_key, landpolicy.input(new_row, options, 'admin')::landpolicy.admincode,
                landpolicy.input(old_row, options, 'class')::landpolicy.landclass, cls,
                landpolicy.measured_area(part),
                landpolicy.quality_grade(landpolicy.input(old_row, options, 'grade'), 'change_log', false),
                landpolicy.quality_grade(landpolicy.input(new_row, options, 'grade'), 'change_log', false),
                changed, 'update', part, by_role);
        RETURN;
    END IF;
    INSERT INTO landpolicy.change_pending (target, op, row_key, parent_key, admin, class, grade, changed_on, geom)
    VALUES (target, CASE WHEN new_row IS NULL THEN 'D' ELSE 'I' END, row_key,
            landpolicy.input(r, options, 'parent'), landpolicy.input(r, options, 'admin')::landpolicy.admincode,
            cls, landpolicy.quality_grade(landpolicy.input(r, options, 'grade'), 'change_log', false), changed, g);
END
$$;
COMMENT ON FUNCTION landpolicy.change_log_record(regclass, text, jsonb, jsonb, geometry, jsonb, geometry, name) IS
    'record one row change for the change log: class updates at once, deletes and inserts at commit';

-- Deferred constraint trigger: at commit, match the transaction's deleted parents with its inserted
-- children and log the class change of each part.  The first firing does the work.
CREATE FUNCTION landpolicy.change_log_settle() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    by_parent boolean := TG_ARGV[0] = 'parent';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM landpolicy.change_pending p
                   WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID) THEN
        RETURN NULL;
    END IF;
    WITH d AS (SELECT * FROM landpolicy.change_pending p WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID AND p.op = 'D'),
         i AS (SELECT * FROM landpolicy.change_pending p WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID AND p.op = 'I'),
         pairs AS (
            SELECT d.row_key AS parent, i.row_key AS child, d.class AS from_class, i.class AS to_class,
                   d.grade AS grade_before, i.grade AS grade_after, i.admin, i.changed_on,
                   -- the part of the child that was the parent (a parent key only decides the pairs)
                   ST_CollectionExtract(ST_Intersection(d.geom, i.geom), 3) AS part
            FROM d JOIN i ON CASE WHEN by_parent THEN i.parent_key = d.row_key
                                  ELSE d.geom && i.geom AND ST_Intersects(d.geom, i.geom) END),
         counted AS (
            SELECT p.*, count(*) OVER (PARTITION BY p.parent) AS children, count(*) OVER (PARTITION BY p.child) AS parents
            FROM pairs p)
    INSERT INTO landpolicy.change_log (target, parcel_key, parent_key, admin, from_class, to_class, area_m2,
                                       grade_before, grade_after, changed_on, kind, geom, by_role)
    SELECT TG_RELID, c.child, c.parent, c.admin, c.from_class, c.to_class, landpolicy.measured_area(c.part),
           c.grade_before, c.grade_after, c.changed_on,
           CASE WHEN c.parents > 1 THEN 'merge' WHEN c.children > 1 THEN 'split' ELSE 'reshape' END,
           c.part, session_user
    FROM counted c
    WHERE c.from_class OPERATOR(landpolicy.<>) c.to_class AND NOT ST_IsEmpty(c.part)
      AND landpolicy.measured_area(c.part) > 0;
    DELETE FROM landpolicy.change_pending p WHERE p.txid = pg_current_xact_id() AND p.target = TG_RELID;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.change_log_settle() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.change_log_settle() IS
    'deferred trigger: at commit, log the class change of each part of the transaction''s splits and merges';
