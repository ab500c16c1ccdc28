-- R4.1 no approval without, or beyond, the annual plan (严禁无计划、超计划批准用地); R4.2 the
-- earmarked 600 mu a year for counties lifted out of poverty, for rural revitalisation only, to 2025.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS landpolicy CASCADE;
RESET client_min_messages;
SET search_path = public, landpolicy;
SET landpolicy.lang = 'en';
\set SHOW_CONTEXT never

CREATE TABLE approval (id serial PRIMARY KEY, county landpolicy.admincode, approved_on date,
                       area_m2 numeric, purpose text, account text);
INSERT INTO landpolicy.quota (county, year, amount, unit) VALUES ('350121', 2026, 15, 'mu');
INSERT INTO landpolicy.quota (county, year, account, amount, unit) VALUES ('350121', 2026, 'rural_industry', 1, 'ha');
SELECT landpolicy.attach('approval', 'R4.1', '{"county": "county", "date": "approved_on", "area": "area_m2", "purpose": "purpose", "account": "account"}');

-- 15 mu = 10000 m²: exactly used passes, one hundredth of a m² more fails
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-03-01', 6000);
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-04-01', 4000);
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-04-02', 0.01);
-- another account has its own quota (1 ha)
INSERT INTO approval (county, approved_on, area_m2, account) VALUES ('350121', '2026-05-01', 10000, 'rural_industry');
INSERT INTO approval (county, approved_on, area_m2, account) VALUES ('350121', '2026-05-02', 1, 'rural_industry');
-- no quota row for the county-year: refused (严禁无计划)
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2027-01-01', 1);
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350122', '2026-01-01', 1);
-- a township code is counted to its county
INSERT INTO landpolicy.quota (county, year, amount, unit) VALUES ('350122', 2026, 100, 'm2');
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350122101', '2026-01-01', 100);
SELECT * FROM landpolicy.quota_status ORDER BY county, year, account;

-- the earmark (R4.2): only for listed counties, only for rural revitalisation, only through 2025-12-31
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2025-04-01', 100, 'poverty_earmark', 'rural_revitalisation');
INSERT INTO landpolicy.poverty_county VALUES ('350121', 'test');
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2025-04-01', 100, 'poverty_earmark', 'industrial park');
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2025-04-01', 100, 'poverty_earmark', NULL);
-- 600 mu = 400000 m²: exactly used passes, more fails
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2025-04-01', 399900, 'poverty_earmark', '乡村振兴');
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2025-12-31', 100, 'poverty_earmark', 'rural_revitalisation');
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2025-12-31', 0.01, 'poverty_earmark', 'rural_revitalisation');
-- after S0's window the earmark is gone
INSERT INTO approval (county, approved_on, area_m2, account, purpose) VALUES ('350121', '2026-01-01', 1, 'poverty_earmark', 'rural_revitalisation');
-- the earmark is not a quota row anyone can write
INSERT INTO landpolicy.quota (county, year, account, amount) VALUES ('350121', 2026, 'poverty_earmark', 1000);
SELECT * FROM landpolicy.quota_status ORDER BY county, year, account;
SELECT * FROM landpolicy.verify();
-- changing only the purpose of an earmarked approval is judged again
UPDATE approval SET purpose = 'industrial park' WHERE account = 'poverty_earmark' AND purpose = '乡村振兴';
-- moving an approval off the earmark and giving it another purpose in one statement is not an R4.2 matter
BEGIN;
INSERT INTO landpolicy.quota (county, year, amount, unit) VALUES ('350121', 2025, 1000, 'm2');
UPDATE approval SET account = 'general', purpose = 'industrial park' WHERE account = 'poverty_earmark' AND approved_on = '2025-12-31';
SELECT account, purpose, area_m2 FROM approval WHERE approved_on = '2025-12-31';
SELECT * FROM landpolicy.verify();
ROLLBACK;

-- updates and deletes move the totals; an increase past the quota is refused
UPDATE approval SET area_m2 = 5000 WHERE id = 1;
UPDATE approval SET area_m2 = 7000 WHERE id = 1;
DELETE FROM approval WHERE id = 2;
UPDATE approval SET approved_on = '2027-06-01' WHERE id = 1;
SELECT county, year, account, used_m2, headroom_m2 FROM landpolicy.quota_status WHERE account = 'general' ORDER BY county, year;
SELECT * FROM landpolicy.verify();

-- bad input
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', NULL, 1);
INSERT INTO approval (county, approved_on, area_m2) VALUES (NULL, '2026-01-01', 1);
INSERT INTO approval (county, approved_on, area_m2) VALUES ('3501', '2026-01-01', 1);
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-01-01', -1);
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-01-01', 'NaN');
INSERT INTO landpolicy.quota (county, year, amount) VALUES ('3501', 2026, 10);
INSERT INTO landpolicy.quota (county, year, amount) VALUES ('350121', 2027, -10);
SELECT landpolicy.attach('approval', 'R4.1', '{"county": "county", "date": "approved_on"}');
TRUNCATE approval;

SELECT landpolicy.detach('approval', 'R4.1');
SELECT count(*) AS ledger_rows_left FROM landpolicy.ledger;
DELETE FROM landpolicy.quota;
DELETE FROM landpolicy.poverty_county;
DROP TABLE approval;
