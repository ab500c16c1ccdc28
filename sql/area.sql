-- area_m2 / area_mu: ellipsoidal for geographic SRIDs, planar for metre projections.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = landpolicy, public;

-- a square of side sqrt(10000/15) m is exactly 1 mu, in CGCS2000 Gauss-Krüger zone 39 (4527) and 40 (4528)
SELECT round(area_m2(g)::numeric, 6) AS m2, round(area_mu(g)::numeric, 9) AS mu
FROM (SELECT ST_MakeEnvelope(39500000, 2900000, 39500000 + sqrt(10000.0 / 15), 2900000 + sqrt(10000.0 / 15), 4527) AS g) s;
SELECT round(area_mu(ST_MakeEnvelope(40500000, 2890000, 40500100, 2890150, 4528))::numeric, 6) AS mu_of_15000_m2;

-- the same 1 mu square in geographic CGCS2000 (4490) is measured on the ellipsoid: still 1 mu
-- (zone 39's central meridian is 117°E, where the Gauss-Krüger scale factor is 1)
SELECT round(area_mu(ST_Transform(ST_MakeEnvelope(39500000, 2900000, 39500000 + sqrt(10000.0 / 15),
                                                  2900000 + sqrt(10000.0 / 15), 4527), 4490))::numeric, 4) AS mu_4490;
-- a 0.01° cell near 闽侯 (119.2°E, 26.1°N): ellipsoidal area, not degrees squared
SELECT round(area_m2(ST_MakeEnvelope(119.2, 26.1, 119.21, 26.11, 4490))) AS m2_4490,
       round(area_m2(ST_MakeEnvelope(119.2, 26.1, 119.21, 26.11, 4326))) AS m2_4326,
       round(ST_Area(ST_MakeEnvelope(119.2, 26.1, 119.21, 26.11, 4490))::numeric, 6) AS naive_degrees;

-- multipolygons, holes, empty geometries, non-areal geometries
SELECT area_m2('SRID=4528;MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0)),((200 0,300 0,300 50,200 50,200 0)))') AS multi,
       area_m2('SRID=4528;POLYGON((0 0,100 0,100 100,0 100,0 0),(10 10,20 10,20 20,10 20,10 10))') AS with_hole,
       area_m2('SRID=4528;POLYGON EMPTY') AS empty,
       area_m2('SRID=4528;LINESTRING(0 0,100 100)') AS line,
       area_m2(NULL) AS null_in;

-- bad input, one per line
SELECT area_m2('POLYGON((0 0,1 0,1 1,0 1,0 0))');
SELECT area_m2('SRID=999999;POLYGON((0 0,1 0,1 1,0 1,0 0))');
SELECT area_m2('SRID=2249;POLYGON((0 0,1 0,1 1,0 1,0 0))');
SELECT area_m2('SRID=4528;POLYGON((0 0,10 10,10 0,0 10,0 0))');
SELECT area_mu('SRID=4528;POLYGON((0 0,10 10,10 0,0 10,0 0))');

-- srid_units
SELECT srid_units(4490), srid_units(4326), srid_units(4527), srid_units(4528), srid_units(4513), srid_units(4554);
SELECT srid_units(3857);
