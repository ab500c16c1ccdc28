CREATE FUNCTION landpolicy.notify_change(rel regclass) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT VOLATILE;
REVOKE ALL ON FUNCTION landpolicy.notify_change(regclass) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.notify_change(regclass) IS
    'tell every backend, at commit, that a relation the guards cache changed (layer pieces, parameters, exemptions)';

-- Reference layers: user tables of polygons kept query-ready (made valid, subdivided, GiST-indexed)
-- in landpolicy.layer_piece, in step with their source through statement triggers.

CREATE TABLE landpolicy.layer (
    kind            text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
    source          regclass NOT NULL,
    geom_column     name NOT NULL,
    key_column      name NOT NULL,
    township_column name,
    slope_column    name,
    class_column    name,
    classes         landpolicy.landclass[],
    srid            int4 NOT NULL,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    registered_by   name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE landpolicy.layer IS 'registered reference layers: which user table backs each kind, and how';
SELECT pg_catalog.pg_extension_config_dump('landpolicy.layer', '');

-- Query-ready pieces of every layer, one list partition per kind (created by register_layer).
CREATE TABLE landpolicy.layer_piece (
    kind        text NOT NULL,
    source_key  text NOT NULL,
    township    landpolicy.admincode,
    slope_grade int4,
    geom        geometry NOT NULL
) PARTITION BY LIST (kind);
-- Indexes are made per partition by register_layer(), not on the parent: a partition (not an
-- extension member) is dumped with its indexes, and a parent index would make them twice on restore.
COMMENT ON TABLE landpolicy.layer_piece IS
    'reference layers made valid and subdivided (at most 128 vertices a piece), GiST-indexed; maintained by triggers on the source tables';

CREATE FUNCTION landpolicy.layer_srid(kind text) RETURNS int4
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    result int4;
BEGIN
    SELECT l.srid INTO result FROM landpolicy.layer l
     WHERE l.kind = layer_srid.kind AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = l.source);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reference layer "%" is not registered', kind
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'A rule that needs a missing layer fails closed: nothing is checked against it, so nothing passes.',
                  HINT = format('Register it: SELECT landpolicy.register_layer(%L, ''your_table'');', kind);
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION landpolicy.layer_srid(text) IS 'SRID of a registered layer; an error naming the layer when it is not registered';

-- The pieces of some source rows: valid polygons, subdivided.
CREATE FUNCTION landpolicy.layer_pieces_sql(l landpolicy.layer, rows_sql text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT format(
        'INSERT INTO landpolicy.layer_piece (kind, source_key, township, slope_grade, geom)
         SELECT %L, s.k, s.t, s.g, ST_Subdivide(ST_CollectionExtract(ST_MakeValid(ST_Transform(s.geom, %s)), 3), 128)
         FROM (SELECT r.%I::text AS k, %s AS t, %s AS g, r.%I AS geom FROM %s r WHERE r.%I IS NOT NULL %s) s',
        l.kind, l.srid, l.key_column,
        CASE WHEN l.township_column IS NULL THEN 'NULL::landpolicy.admincode'
             ELSE format('r.%I::landpolicy.admincode', l.township_column) END,
        CASE WHEN l.slope_column IS NULL THEN 'NULL::int4' ELSE format('r.%I::int4', l.slope_column) END,
        l.geom_column, rows_sql, l.geom_column,
        CASE WHEN l.class_column IS NULL THEN ''
             ELSE format('AND EXISTS (SELECT 1 FROM unnest(%L::landpolicy.landclass[]) c WHERE r.%I::landpolicy.landclass OPERATOR(landpolicy.<@) c)',
                         l.classes, l.class_column) END)
$$;

-- The tables that carry a layer's sync triggers: its source and, when the source is partitioned,
-- every partition in its tree (a statement fires the statement triggers of the table it names only).
CREATE FUNCTION landpolicy.layer_sync_tables(source regclass) RETURNS SETOF regclass
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
    SELECT source
    UNION
    SELECT p.relid FROM pg_catalog.pg_partition_tree(source) p
$$;
COMMENT ON FUNCTION landpolicy.layer_sync_tables(regclass) IS
    'a layer source and, if it is partitioned, all its partitions: the tables that carry the layer''s sync triggers';

-- The sync triggers (ENABLE ALWAYS) on every table of a layer's source that lacks them.
CREATE FUNCTION landpolicy.layer_add_triggers(l landpolicy.layer) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    t regclass;
    trig text := 'landpolicy_layer_' || l.kind;
BEGIN
    FOR t IN SELECT * FROM landpolicy.layer_sync_tables(l.source) LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = t AND tg.tgname = trig || '_ins');
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_ins', t, l.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_upd', t, l.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_del', t, l.kind);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION landpolicy.layer_sync(%L)', trig || '_trunc', t, l.kind);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I, ENABLE ALWAYS TRIGGER %I',
                       t, trig || '_ins', trig || '_upd', trig || '_del', trig || '_trunc');
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.layer_add_triggers(landpolicy.layer) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.layer_add_triggers(landpolicy.layer) IS
    'internal: put a layer''s sync triggers on its source and on every partition of it that lacks them';

-- Drop the pieces of features that are no longer in the source (a partition truncated, detached or
-- dropped takes its rows along without a row-level event).
CREATE FUNCTION landpolicy.layer_prune(l landpolicy.layer) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    gone bigint;
BEGIN
    EXECUTE format('DELETE FROM landpolicy.layer_piece p WHERE p.kind = $1
                    AND NOT EXISTS (SELECT 1 FROM %s s WHERE s.%I::text = p.source_key)', l.source, l.key_column)
      USING l.kind;
    GET DIAGNOSTICS gone = ROW_COUNT;
    IF gone > 0 THEN
        PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.layer_prune(landpolicy.layer) FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.layer_prune(landpolicy.layer) IS
    'internal: drop a layer''s pieces whose feature is no longer in its source';

-- Statement trigger on a source table: replace the pieces of the rows the statement touched.
CREATE FUNCTION landpolicy.layer_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
BEGIN
    SELECT * INTO l FROM landpolicy.layer WHERE kind = TG_ARGV[0];
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- a table detached from a partitioned source keeps its triggers, which no longer count
    IF TG_RELID <> l.source AND TG_RELID NOT IN (SELECT * FROM landpolicy.layer_sync_tables(l.source)) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        IF TG_RELID = l.source THEN
            DELETE FROM landpolicy.layer_piece WHERE kind = l.kind;
            PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
        ELSE
            PERFORM landpolicy.layer_prune(l);     -- one partition's rows went
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('DELETE FROM landpolicy.layer_piece WHERE kind = $1 AND source_key IN (SELECT o.%I::text FROM old_rows o)',
                       l.key_column) USING l.kind;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE landpolicy.layer_pieces_sql(l, 'new_rows');
    END IF;
    -- every backend's cached copy of the layer is stale from this commit on
    PERFORM landpolicy.notify_change(format('landpolicy.%I', 'layer_piece_' || l.kind)::regclass);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION landpolicy.layer_sync() FROM PUBLIC;
COMMENT ON FUNCTION landpolicy.layer_sync() IS 'trigger on a layer''s source table: keeps landpolicy.layer_piece in step';

CREATE FUNCTION landpolicy.register_layer(kind text, source regclass, options jsonb DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
    known_options text[] := ARRAY['geom', 'key', 'township', 'slope_grade', 'class_column', 'classes'];
    bad text;
    srids int4[];
BEGIN
    IF kind IS NULL OR kind !~ '^[a-z][a-z0-9_]{0,39}$' THEN
        RAISE EXCEPTION 'invalid layer kind: "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A kind is lower-case letters, digits and _ (eco_redline, eco_core, pbf, udb, forest, wetland, water_area, water_source, cultivated, slope, or your own).';
    END IF;
    IF source IS NULL THEN
        RAISE EXCEPTION 'register_layer: source table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = source), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to register it as a layer', source USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM landpolicy.layer x WHERE x.kind = register_layer.kind) THEN
        RAISE EXCEPTION 'reference layer "%" is already registered (source %)', kind,
                (SELECT x.source FROM landpolicy.layer x WHERE x.kind = register_layer.kind)
            USING ERRCODE = 'duplicate_object', HINT = format('Unregister it first: SELECT landpolicy.unregister_layer(%L);', kind);
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(coalesce(options, '{}')) k WHERE k <> ALL (known_options) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown register_layer option "%"', bad
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Options are ' || array_to_string(known_options, ', ') || '.';
    END IF;

    l.kind := kind;
    l.source := source;
    l.geom_column := coalesce(options->>'geom', landpolicy.sole_column(source, 'geometry', 'geom'));
    l.key_column := coalesce(options->>'key', landpolicy.primary_key_column(source));
    l.township_column := options->>'township';
    l.slope_column := options->>'slope_grade';
    l.class_column := options->>'class_column';
    PERFORM landpolicy.column_of_type(source, l.geom_column, ARRAY['geometry'], 'geom');
    PERFORM landpolicy.column_of_type(source, l.key_column, NULL, 'key');
    IF l.township_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.township_column, ARRAY['admincode', 'text', 'character varying', 'character'], 'township');
    END IF;
    IF kind = 'slope' AND l.slope_column IS NULL THEN
        RAISE EXCEPTION 'a slope layer needs its slope-grade column' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Name it in the options: {"slope_grade": "pdjb"} (GDPDJB grade 1-5).';
    END IF;
    IF l.slope_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.slope_column, ARRAY['smallint', 'integer', 'bigint', 'numeric', 'text', 'character varying', 'character'], 'slope_grade');
    END IF;
    IF l.class_column IS NOT NULL THEN
        PERFORM landpolicy.column_of_type(source, l.class_column, ARRAY['landclass', 'text', 'character varying', 'character'], 'class_column');
        l.classes := coalesce((SELECT array_agg(c::landpolicy.landclass) FROM jsonb_array_elements_text(options->'classes') c),
                              CASE WHEN kind = 'cultivated' THEN ARRAY['01']::landpolicy.landclass[] END);
        IF l.classes IS NULL THEN
            RAISE EXCEPTION 'option class_column needs the classes that belong to the layer'
                USING ERRCODE = 'invalid_parameter_value', HINT = 'For example {"class_column": "dlbm", "classes": ["0301", "0302"]}.';
        END IF;
    END IF;

    -- The layer's SRID: the column's, or the one SRID its rows share.
    SELECT gc.srid INTO l.srid FROM geometry_columns gc
     WHERE (quote_ident(gc.f_table_schema) || '.' || quote_ident(gc.f_table_name))::regclass = source
       AND gc.f_geometry_column = l.geom_column;
    IF coalesce(l.srid, 0) = 0 THEN
        EXECUTE format('SELECT array_agg(DISTINCT ST_SRID(%I)) FROM %s', l.geom_column, source) INTO srids;
        IF cardinality(srids) > 1 OR 0 = ANY (srids) THEN
            RAISE EXCEPTION 'layer source %.% has no single SRID (found %)', source, l.geom_column, srids
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the column a type with an SRID, e.g. geometry(MultiPolygon, 4528).';
        END IF;
        l.srid := coalesce(srids[1], 0);
        IF l.srid = 0 THEN
            RAISE EXCEPTION 'layer source %.% is empty and its column has no SRID', source, l.geom_column
                USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the column a type with an SRID, e.g. geometry(MultiPolygon, 4528).';
        END IF;
    END IF;
    PERFORM landpolicy.srid_units(l.srid);

    l.registered_at := now();
    l.registered_by := current_user;
    EXECUTE format('CREATE TABLE landpolicy.%I PARTITION OF landpolicy.layer_piece FOR VALUES IN (%L)', 'layer_piece_' || kind, kind);
    EXECUTE format('CREATE INDEX %I ON landpolicy.%I USING gist (geom)', 'layer_piece_' || kind || '_geom', 'layer_piece_' || kind);
    EXECUTE format('CREATE INDEX %I ON landpolicy.%I (source_key)', 'layer_piece_' || kind || '_key', 'layer_piece_' || kind);
    EXECUTE landpolicy.layer_pieces_sql(l, source::text);
    EXECUTE format('ANALYZE landpolicy.%I', 'layer_piece_' || kind);

    -- on the source and, if it is partitioned, on every partition (new ones get them from on_ddl_end)
    PERFORM landpolicy.layer_add_triggers(l);
    -- recorded last: from here on the triggers are guarded against being dropped or disabled
    INSERT INTO landpolicy.layer VALUES (l.*);
END
$$;
COMMENT ON FUNCTION landpolicy.register_layer(text, regclass, jsonb) IS
    'register a user table of polygons as a reference layer (options: geom, key, township, slope_grade, class_column, classes)';

CREATE FUNCTION landpolicy.unregister_layer(kind text) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
    l landpolicy.layer;
    trig text := 'landpolicy_layer_' || kind;
    op text;
    t regclass;
BEGIN
    SELECT * INTO l FROM landpolicy.layer x WHERE x.kind = unregister_layer.kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reference layer "%" is not registered', kind USING ERRCODE = 'undefined_object';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = l.source) AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = l.source), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table % to unregister its layer', l.source USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- forget the layer first: its triggers are then no longer guarded against being dropped
    DELETE FROM landpolicy.layer x WHERE x.kind = unregister_layer.kind;
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = l.source) THEN
        FOR t IN SELECT * FROM landpolicy.layer_sync_tables(l.source) LOOP
            FOREACH op IN ARRAY ARRAY['_ins', '_upd', '_del', '_trunc'] LOOP
                IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t AND tgname = trig || op) THEN
                    EXECUTE format('DROP TRIGGER %I ON %s', trig || op, t);
                END IF;
            END LOOP;
        END LOOP;
    END IF;
    EXECUTE format('DROP TABLE landpolicy.%I', 'layer_piece_' || kind);
END
$$;
COMMENT ON FUNCTION landpolicy.unregister_layer(text) IS
    'drop a reference layer: its pieces and its triggers (rules that need it then fail closed)';

CREATE VIEW landpolicy.layers AS
    SELECT l.kind, l.source, l.geom_column, l.key_column, l.township_column, l.slope_column, l.class_column,
           l.classes, l.srid,
           (SELECT count(DISTINCT p.source_key) FROM landpolicy.layer_piece p WHERE p.kind = l.kind) AS features,
           (SELECT count(*) FROM landpolicy.layer_piece p WHERE p.kind = l.kind) AS pieces,
           l.registered_at, l.registered_by
    FROM landpolicy.layer l;
COMMENT ON VIEW landpolicy.layers IS 'registered reference layers with their feature and piece counts';
-- The pieces are copies of the source geometries (often restricted data): not readable by PUBLIC.
-- Guards read them as the extension owner; the layers view shows counts only.
GRANT SELECT ON landpolicy.layers, landpolicy.layer TO PUBLIC;
