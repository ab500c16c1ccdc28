-- Column lookups shared by register_layer() and attach(): each names what it was looking for.

CREATE FUNCTION landpolicy.column_of_type(tbl regclass, col name, allowed text[], what text) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    typ text;
BEGIN
    SELECT t.typname INTO typ
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % has no column "%" (option "%")', tbl, col, what
            USING ERRCODE = 'undefined_column';
    END IF;
    typ := format_type((SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = col), NULL);
    typ := regexp_replace(regexp_replace(typ, '^.*\.', ''), '\(.*\)$', '');
    IF allowed IS NOT NULL AND typ <> ALL (allowed) THEN
        RAISE EXCEPTION 'column %.% has type %, which cannot serve as "%"', tbl, col, typ, what
            USING ERRCODE = 'datatype_mismatch',
                  HINT = 'Usable types: ' || array_to_string(allowed, ', ') || '.';
    END IF;
    RETURN typ;
END
$$;
COMMENT ON FUNCTION landpolicy.column_of_type(regclass, name, text[], text) IS
    'the type of tbl.col, or an error naming the option when the column is missing or of an unusable type';

CREATE FUNCTION landpolicy.sole_column(tbl regclass, typ text, what text) RETURNS name
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    cols name[];
BEGIN
    SELECT array_agg(a.attname ORDER BY a.attnum) INTO cols
      FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
       AND regexp_replace(format_type(a.atttypid, NULL), '^.*\.', '') = typ;
    IF cardinality(cols) = 1 THEN
        RETURN cols[1];
    END IF;
    RAISE EXCEPTION 'table % has % % columns: name the one to use', tbl, coalesce(cardinality(cols), 0), typ
        USING ERRCODE = 'invalid_parameter_value', HINT = format('Add {"%s": "column"} to the options.', what);
END
$$;
COMMENT ON FUNCTION landpolicy.sole_column(regclass, text, text) IS 'the only column of a type in a table, or an error asking to name one';

CREATE FUNCTION landpolicy.primary_key_column(tbl regclass) RETURNS name
LANGUAGE plpgsql STABLE
SET search_path FROM CURRENT
AS $$
DECLARE
    cols name[];
BEGIN
    SELECT array_agg(a.attname) INTO cols
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = tbl AND i.indisprimary;
    IF cardinality(cols) = 1 THEN
        RETURN cols[1];
    END IF;
    RAISE EXCEPTION 'table % has no single-column primary key to identify its rows', tbl
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Name a unique column: {"key": "column"}.';
END
$$;
COMMENT ON FUNCTION landpolicy.primary_key_column(regclass) IS 'the single primary-key column of a table, or an error';
