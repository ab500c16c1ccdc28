-- 三大类 as a jurisdiction counts it: 0404 其他草地 is 未利用地 in the reference table, 农用地 in some provinces.

CREATE FUNCTION landpolicy.lc_three_class(lc landpolicy.landclass, jurisdiction landpolicy.admincode,
                                          at date DEFAULT current_date)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
    SELECT CASE
        WHEN lc OPERATOR(landpolicy.=) '0404'
            THEN landpolicy.param_text('landclass.three_class_0404', jurisdiction, coalesce(at, current_date))
        WHEN lc OPERATOR(landpolicy.=) '04'
             AND landpolicy.param_text('landclass.three_class_0404', jurisdiction, coalesce(at, current_date)) = 'agricultural'
            THEN 'agricultural'
        ELSE landpolicy.lc_three_class(lc)
    END
$$;
COMMENT ON FUNCTION landpolicy.lc_three_class(landpolicy.landclass, landpolicy.admincode, date) IS
    '三大类 of a land class as counted in a jurisdiction on a date: 0404 follows the parameter landclass.three_class_0404';
