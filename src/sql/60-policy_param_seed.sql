-- 60-policy_param_seed.sql — the policy parameters shipped with landpolicy.
--
-- One row per figure of POLICY.md (../shared/POLICY.md), checked against the Chinese originals in
-- ../shared/seeds/ (S0..S4). Every row here is builtin = true.
--
-- These values are data, not code. A user (a province, a city, a county, or a whole installation)
-- overrides any of them by inserting its own row with builtin = false for the same key, a more
-- specific jurisdiction and/or its own validity window; landpolicy.param() picks the most specific
-- jurisdiction whose window contains the date asked about. User rows survive pg_dump; builtin rows
-- come back with the extension. See docs/parameters.md.
--
-- Windows are half-open dateranges '[from,to)'. Lower bounds are the issue dates printed in the
-- seeds: S1 2024-08-05, S2 2023-11-14, S3 2025-06-24 (valid 5 years, to 2030-06-23 inclusive),
-- S4 2023-06-13. S0 (自然资办发〔2022〕45号) prints no issue date in the seed, only its end
-- (有效期至2025年12月31日), so its rows are open below.
--
-- Comparison words (recorded in `note`): by the usual Chinese drafting convention (cf. 民法典
-- 第一千二百五十九条) 以上 / 以下 / 以内 / 不超过 include the figure; 大于 / 超过 / 不满 exclude it.
-- A row holds the figure only; the comparison is the rule's.

INSERT INTO landpolicy.policy_param
    (key, jurisdiction, valid, value, value_text, unit, basis, builtin, note)
VALUES

-- Product defaults (not policy figures) --------------------------------------------------------

('overlap.tolerance_m2', NULL, '(,)', 1, NULL, 'm2',
 'landpolicy default: overlaps at or below this area are digitising slivers, not occupation',
 true,
 'Product default, not a policy figure. An intersection of at most this area (m²) between a parcel and a protected layer (red line, PBF, …) is treated as a digitising sliver, not an occupation.'),

('area.declared_tolerance_m2', NULL, '(,)', 1, NULL, 'm2',
 'landpolicy default (R2.4 可实测、可追溯, measured and traceable: 自然资发〔2024〕149号 (六); 福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(四)) — product default supporting MNR 2024 No.149 §(6) and Fujian Opinions §3(4)',
 true,
 'Product default, not a policy figure. A declared area may differ from the area measured from the geometry by at most this many m²; the seeds require new cultivated area to be measured (新增耕地面积应实测, 不得仅靠“图上作业”或以系数测算) but state no tolerance.'),

('landclass.three_class_0404', NULL, '(,)', NULL, 'unused', 'class',
 '第三次全国国土调查工作分类 三大类对照 (reference/landclass.csv: 0404 其他草地 → 未利用地) — Third National Land Survey work classification, three-class table (0404 Other grassland → unused)',
 true,
 'Which 三大类 0404 其他草地 (other grassland) belongs to: ''unused'' (未利用地) as in the reference table. Provinces that count it as 农用地 override with value_text ''agricultural''. Not from a seed document.'),

-- R2 永久基本农田 Permanent basic farmland --------------------------------------------------------

('pbf.adjust_cap_ratio', NULL, '[2024-08-05,)', 0.05, NULL, 'ratio',
 '自然资发〔2024〕149号 (六) — MNR 2024 No.149 §(6)',
 true,
 'R2.3. Seed: 调整规模原则上不得超过所涉乡镇永久基本农田划定面积的5% — adjustment ≤ 5 % (不得超过: the figure itself is allowed) of the township''s designated PBF area, "in principle" (原则上).'),

('pbf.adjust_cap_ratio', '35', '[2025-06-24,2030-06-24)', 0.05, NULL, 'ratio',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》二(一) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §2(1)',
 true,
 'R2.3, Fujian. Seed: 调整规模原则上不超过所涉乡镇永久基本农田划定面积的5% — ≤ 5 % of the township''s designated PBF area, "in principle". Same figure as the national row; the document is valid 5 years (本文件有效期5年).'),

('pbf.survey_outside_udb_mu', '35', '[2025-06-24,2030-06-24)', 10, NULL, 'mu',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(三) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(3)',
 true,
 'R2.6. Seed: 城镇开发边界外单个图斑大于10亩 — outside the UDB a single PBF parcel strictly greater than (大于, >) 10 mu to be adjusted needs a provincial on-site survey (实地踏勘论证); exactly 10 mu does not.'),

('pbf.survey_udb_plain_mu', '35', '[2025-06-24,2030-06-24)', 5, NULL, 'mu',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(三) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(3)',
 true,
 'R2.6. Seed: 城镇开发边界围合范围内平原地区单个图斑5亩以上 — inside the UDB, plains: a single parcel of 5 mu or more (以上 includes the figure, ≥) needs an on-site survey.'),

('pbf.survey_udb_hill_mu', '35', '[2025-06-24,2030-06-24)', 3, NULL, 'mu',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(三) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(3)',
 true,
 'R2.6. Seed: 山区丘陵地区单个图斑3亩以上 — inside the UDB, mountains and hills: a single parcel of 3 mu or more (以上 includes the figure, ≥) needs an on-site survey.'),

('pbf.transitional_provincial_approval', NULL, '[,2024-01-02)', 1, NULL, 'bool',
 '自然资办发〔2022〕45号 四; 《乡村振兴用地政策指南(2023年)》第二十四条 — MNR General Office 2022 No.45 §4; Rural Revitalisation Land Policy Guide (2023), art. 24',
 true,
 'R2.1 transitional measure. Seed: 2024年1月2日前 … 确实难以避让永久基本农田的, 可纳入重大建设项目范围, 由省级自然资源主管部门办理用地预审 — before 2024-01-02 (so through 2024-01-01 inclusive) infrastructure, relocation (易地扶贫搬迁, S0 only) and livelihood projects below provincial level in former deeply poor / contiguous poor areas / key poverty counties could be treated as major projects with provincial pre-approval. 1 = allowed; no row (NULL) from 2024-01-02.'),

-- R3 耕地 Cultivated land ---------------------------------------------------------------------

('cultivated.max_slope_deg', NULL, '[2023-06-13,)', 25, NULL, 'degree',
 '自然资发〔2023〕90号 四 — MNR 2023 No.90 §4',
 true,
 'R3.3. Seed: 禁止在25度以上陡坡地…开垦耕地 — no cultivated-land creation on slopes of 25° and above. By the drafting convention 以上 includes the figure (≥ 25°); POLICY.md R3.3 reads it as > 25° (slope grade 5). The rule decides the comparison.'),

('cultivated.water_source_max_slope_deg', NULL, '[2023-06-13,)', 15, NULL, 'degree',
 '自然资发〔2023〕90号 四 — MNR 2023 No.90 §4',
 true,
 'R3.3. Seed: 禁止在…重要水源地15度以上坡地开垦耕地 — none in important water-source areas on slopes of 15° and above (以上: ≥ 15° by the drafting convention; POLICY.md says > 15°).'),

('cultivated.review_slope_deg', NULL, '[2023-06-13,)', 15, NULL, 'degree',
 '自然资发〔2023〕90号 四 — MNR 2023 No.90 §4',
 true,
 'R3.3. Seed: 对于坡度大于15度的区域, 原则上不得新立项实施补充耕地项目 … 应经县级论证评估、省级复核认定 — slopes strictly greater than (大于, >) 15°: no new supplementary-cultivated-land project in principle; only after county evaluation and provincial review.'),

-- R4 建设用地 Construction land ---------------------------------------------------------------

('construction.poverty_quota_mu', NULL, '[,2026-01-01)', 600, NULL, 'mu',
 '自然资办发〔2022〕45号 二; 《乡村振兴用地政策指南(2023年)》第七条 — MNR General Office 2022 No.45 §2; Rural Revitalisation Land Policy Guide (2023), art. 7',
 true,
 'R4.2. Seed: 每个脱贫县每年安排新增建设用地计划指标600亩, 专项用于巩固拓展脱贫攻坚成果和乡村振兴用地需要, 不得挪用 — 600 mu of new construction-land plan quota per poverty-alleviated county per year, earmarked. End date from S0 (有效期至2025年12月31日); S2 art. 7 repeats the figure without an end date. S0''s issue date is not in the seed, so the window is open below.'),

('construction.rural_share_county_min', NULL, '[2023-11-14,)', 0.10, NULL, 'ratio',
 '《乡村振兴用地政策指南(2023年)》第七条 — Rural Revitalisation Land Policy Guide (2023), art. 7',
 true,
 'R4.3. Seed: 新编县乡级国土空间规划应安排不少于10%的建设用地指标, 重点保障乡村产业发展用地 — newly compiled county/township spatial plans reserve at least (不少于, ≥) 10 % of construction-land indicators for rural industry.'),

('construction.rural_share_province_min', NULL, '[2023-11-14,)', 0.05, NULL, 'ratio',
 '《乡村振兴用地政策指南(2023年)》第七条 — Rural Revitalisation Land Policy Guide (2023), art. 7',
 true,
 'R4.3. Seed: 省级制定土地利用年度计划时, 应安排至少5%新增建设用地指标保障乡村重点产业和项目用地 — provincial annual plans reserve at least (至少, ≥) 5 % of new construction-land indicators for key rural industries and projects.'),

('udb.reserve_min_2026_2030', NULL, '[2023-06-13,2031-01-01)', 0.35, NULL, 'ratio',
 '自然资发〔2023〕90号 七 — MNR 2023 No.90 §7',
 true,
 'R4.5. Seed: 在城镇开发边界内的增量空间使用上, 为“十五五”“十六五”期间至少留下35%、25%的增量空间 — at least (至少, ≥) 35 % of the UDB''s incremental space left for the 15th five-year plan (2026–2030). The window runs from the notice (2023-06-13), when the duty to leave the reserve begins, to the end of the period it is for.'),

('udb.reserve_min_2031_2035', NULL, '[2023-06-13,2036-01-01)', 0.25, NULL, 'ratio',
 '自然资发〔2023〕90号 七 — MNR 2023 No.90 §7',
 true,
 'R4.5. Seed: 为“十五五”“十六五”期间至少留下35%、25%的增量空间 — at least (≥) 25 % of the UDB''s incremental space left for the 16th five-year plan (2031–2035). The window runs from the notice (2023-06-13) to the end of the period the reserve is for.'),

('udb.year_min_of_average', NULL, '[2023-06-13,)', 0.80, NULL, 'ratio',
 '自然资发〔2023〕90号 七 — MNR 2023 No.90 §7',
 true,
 'R4.5. Seed: 在年度增量空间使用规模上, 至少为每年保留五年平均规模的80%, 其余可以用于年度间调剂, 但不得突破分阶段控制总量 — each year keeps at least (至少, ≥) 80 % of the five-year average; the rest may move between years within the phase total.'),

-- R5 宅基地 Rural homesteads ------------------------------------------------------------------

('homestead.max_area_m2', '35', '(,)', 120, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第二十九条 (面积不得超过本省、自治区、直辖市规定的标准) — Rural Revitalisation Land Policy Guide (2023), art. 29 (area no more than the provincial standard); the figure itself is not in any seed',
 true,
 'EXAMPLE DATA: replace with the provincial standard. R5.1: S2 art. 29 defers the area to the province; no seed states Fujian''s standard. Not to be enforced as law until a user row with the real figure and its basis replaces it.'),

-- R6 设施农业用地 Agricultural facility land --------------------------------------------------

('facility.guard_house_south_m2', NULL, '[2023-11-14,)', 15, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 南方地区控制在“单层、15平方米以内” — southern regions: single storey, within (以内, ≤) 15 m². S2 quotes 自然资规〔2019〕4号 (the 大棚房 rectification standard).'),

('facility.guard_house_north_m2', NULL, '[2023-11-14,)', 22.5, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 北方地区控制在“单层、22.5平方米以内” — northern regions: single storey, ≤ 22.5 m².'),

('facility.guard_house_severe_cold_m2', NULL, '[2023-11-14,)', 30, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 其中严寒地区控制在“单层、30平方米以内” — severe-cold regions (a subset of the north, 其中): single storey, ≤ 30 m².'),

('facility.guard_house_greenhouse_m2', NULL, '[2023-11-14,)', 40, NULL, 'm2',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 占地面积超过2亩的农业大棚, 其看护房控制在“单层、40平方米以内” — guard house of a greenhouse over 2 mu: single storey, ≤ 40 m².'),

('facility.greenhouse_threshold_mu', NULL, '[2023-11-14,)', 2, NULL, 'mu',
 '《乡村振兴用地政策指南(2023年)》第三十四条 — Rural Revitalisation Land Policy Guide (2023), art. 34',
 true,
 'R6.1. Seed: 占地面积超过2亩的农业大棚 — the 40 m² limit applies to greenhouses strictly over (超过, >) 2 mu; a 2 mu greenhouse takes the regional limit.'),

('facility.region', '35', '(,)', NULL, 'south', 'region',
 '《乡村振兴用地政策指南(2023年)》第三十四条 (南方地区/北方地区/严寒地区) — Rural Revitalisation Land Policy Guide (2023), art. 34 (south / north / severe-cold regions); the assignment of Fujian is a landpolicy assumption',
 true,
 'Example/assumption: Fujian is a southern province. S2 art. 34 names the regions but lists no provinces; value_text is one of ''south'', ''north'', ''severe_cold''. Other provinces add their own rows.'),

-- R7 临时用地 Temporary land ------------------------------------------------------------------

('temporary.max_years', NULL, '[2023-11-14,)', 2, NULL, 'year',
 '《乡村振兴用地政策指南(2023年)》第十七条 — Rural Revitalisation Land Policy Guide (2023), art. 17',
 true,
 'R7.1. Seed: 期限一般不超过二年 — term generally (一般) no more than (不超过, ≤) 2 years.'),

('temporary.max_years_infrastructure', NULL, '[2023-11-14,)', 4, NULL, 'year',
 '《乡村振兴用地政策指南(2023年)》第十七条 — Rural Revitalisation Land Policy Guide (2023), art. 17',
 true,
 'R7.1. Seed: 建设周期较长的能源、交通、水利等基础设施建设使用的临时用地, 期限不超过四年 — long-build energy, transport and water infrastructure: ≤ 4 years.'),

('temporary.reclaim_years', NULL, '[2023-11-14,)', 1, NULL, 'year',
 '《乡村振兴用地政策指南(2023年)》第十七条 — Rural Revitalisation Land Policy Guide (2023), art. 17',
 true,
 'R7.1. Seed: 土地使用者应当自临时用地期满之日起一年内完成土地复垦 … 其中占用耕地的应当恢复种植条件 — reclamation completed within (内, ≤) 1 year from expiry; cultivated land restored to a plantable state.'),

-- R8 全域土地综合整治 Land remediation -------------------------------------------------------

('remediation.completion_years', '35', '[2025-06-24,2030-06-24)', 3, NULL, 'year',
 '福建省自然资源厅《关于深入推进全域土地综合整治工作的实施意见》三(四) — Fujian DNR, Opinions on Comprehensive Land Remediation (2025-06-24), §3(4)',
 true,
 'R8.2, Fujian. Seed: 乡镇人民政府或有关单位按照批准的方案组织实施, 原则上三年内要竣工 — completion within (内, ≤) 3 years, "in principle" (原则上). The seed does not say from when the 3 years run (presumably the plan''s approval).');
