-- Four rules of the bundled policy (三（一）、三（二）、三（九）、三（十）) written by hand in DuckDB
-- SQL as of 2022-06-01: the baseline `bench/run.js --only four` measures `clausal eval --engine
-- duckdb` against. What a careful analyst would write for this one policy and this one file
-- shape: parameters in force hard-coded, quotas in integer arithmetic (sw * 10 >= prof * 7),
-- absent facts kept apart from null ones (fields read as JSON: SQL NULL = absent, JSON null =
-- none), and the same NDJSON bytes as `clausal eval --format ndjson --fields status`.
--
-- bench/baselines/run-sql.js substitutes {{facts}} and {{out}} and runs the script.

SET preserve_insertion_order = true;

CREATE TEMP TABLE facts AS
  SELECT * FROM read_json('{{facts}}', columns = {regions: 'JSON[]', institutions: 'JSON[]'}, maximum_object_size = 2147483647);

-- A field: NULL when absent, the JSON value (possibly JSON null) when given.
CREATE TEMP MACRO is_none(j) AS json_type(j) = 'NULL';
-- A nested field `a.b`: absent when `a` is absent or `a.b` is; none when `a` is none.
CREATE TEMP MACRO nested(a, key) AS CASE WHEN a IS NULL THEN NULL WHEN is_none(a) THEN 'null'::JSON ELSE json_extract(a, '$.' || key) END;
-- A path in the contract's `missing` form.
CREATE TEMP MACRO fact_path(list, id, field) AS list || '[' || id || '].' || field;

CREATE TEMP TABLE region AS
  SELECT o, j->>'id' AS id, j->'level' AS level, j->'sw_station' AS st, nested(j->'sw_station', 'established') AS established
  FROM (SELECT UNNEST(regions) AS j, UNNEST(range(len(regions))) AS o FROM facts);

CREATE TEMP TABLE institution AS
  SELECT o, j->>'id' AS id, j->'category' AS category, j->'sw_in_professional_track' AS track,
         nested(j->'posts', 'social_work') AS sw, nested(j->'posts', 'professional') AS prof, nested(j->'posts', 'total') AS total
  FROM (SELECT UNNEST(institutions) AS j, UNNEST(range(len(institutions))) AS o FROM facts);

-- 三（十） township-station: where r.level == township; must station_in_time(r, 2021-06-30) by 2021-06-30.
CREATE TEMP TABLE township_station AS
  SELECT o, id,
    CASE WHEN level IS NULL THEN NULL WHEN (level->>'$') = 'township' THEN TRUE ELSE FALSE END AS applies,
    -- has(st) and established <= deadline and established <= today (Kleene AND).
    CASE
      WHEN st IS NOT NULL AND is_none(st) THEN FALSE
      WHEN established IS NULL THEN NULL
      WHEN is_none(established) THEN FALSE
      ELSE st IS NOT NULL AND (established->>'$') <= '2021-06-30' AND (established->>'$') <= '2022-06-01'
    END AS holds,
    CASE WHEN level IS NULL THEN [fact_path('regions', id, 'level')]
         ELSE list_concat(CASE WHEN st IS NULL THEN [fact_path('regions', id, 'sw_station')] ELSE [] END,
                          CASE WHEN established IS NULL THEN [fact_path('regions', id, 'sw_station.established')] ELSE [] END)
    END AS missing
  FROM region;

CREATE TEMP TABLE inst_rules AS
  SELECT o, id,
    CASE WHEN category IS NULL THEN NULL ELSE (category->>'$') END AS cat,
    -- A quota `sw >= share * of`: unknown when either is absent, false when either is none.
    CASE WHEN sw IS NULL OR prof IS NULL THEN NULL WHEN is_none(sw) OR is_none(prof) THEN FALSE
         ELSE CAST(sw AS BIGINT) * 10 >= CAST(prof AS BIGINT) * 7 END AS civil_share,
    CASE WHEN sw IS NULL OR total IS NULL THEN NULL WHEN is_none(sw) OR is_none(total) THEN FALSE
         ELSE CAST(sw AS BIGINT) * 10 >= CAST(total AS BIGINT) * 7 END AS agency_share,
    -- i.sw_in_professional_track and i.posts.social_work > 0 (none is false).
    CASE WHEN track IS NOT NULL AND NOT coalesce((track->>'$') = 'true', FALSE) THEN FALSE
         WHEN sw IS NOT NULL AND (is_none(sw) OR CAST(sw AS BIGINT) <= 0) THEN FALSE
         WHEN track IS NULL OR sw IS NULL THEN NULL
         ELSE TRUE END AS platform,
    list_concat(CASE WHEN track IS NULL THEN [fact_path('institutions', id, 'sw_in_professional_track')] ELSE [] END,
                CASE WHEN sw IS NULL THEN [fact_path('institutions', id, 'posts.social_work')] ELSE [] END) AS platform_missing,
    list_concat(CASE WHEN sw IS NULL THEN [fact_path('institutions', id, 'posts.social_work')] ELSE [] END,
                CASE WHEN prof IS NULL THEN [fact_path('institutions', id, 'posts.professional')] ELSE [] END) AS civil_missing,
    list_concat(CASE WHEN sw IS NULL THEN [fact_path('institutions', id, 'posts.social_work')] ELSE [] END,
                CASE WHEN total IS NULL THEN [fact_path('institutions', id, 'posts.total')] ELSE [] END) AS agency_missing,
    CASE WHEN category IS NULL THEN [fact_path('institutions', id, 'category')] END AS category_missing
  FROM institution;

CREATE TEMP MACRO verdict(applies, holds, late) AS
  CASE WHEN applies IS NULL THEN 'unknown' WHEN NOT applies THEN 'not_applicable'
       WHEN holds IS NULL THEN 'unknown' WHEN holds THEN 'compliant' WHEN late THEN 'violation' ELSE 'pending' END;

COPY (
  SELECT {'kind': kind, 'id': id} AS subject, rule, cite, 'must' AS modality, status,
         CASE WHEN status = 'not_applicable' OR (status = 'unknown' AND NOT applied) THEN NULL ELSE due END AS due,
         CASE WHEN status = 'unknown' THEN missing ELSE [] END AS missing
  FROM (
    SELECT 0 AS g, o, 0 AS r, 'region' AS kind, id, 'township-station' AS rule, '三（十）' AS cite,
           verdict(applies, holds, TRUE) AS status, applies IS NOT NULL AS applied, '2021-06-30' AS due, missing
    FROM township_station
    UNION ALL
    SELECT 1, o, 0, 'institution', id, 'township-platform-posts', '三（一）',
           verdict(cat IN ('township_party_service_center', 'township_governance_center', 'township_social_affairs_office', 'township_public_service_platform'), platform, TRUE),
           cat IS NOT NULL, NULL, coalesce(category_missing, platform_missing)
    FROM inst_rules
    UNION ALL
    SELECT 1, o, 1, 'institution', id, 'civil-affairs-post-share', '三（二）',
           verdict(cat IN ('social_welfare_home', 'children_welfare_home', 'relief_station', 'minor_relief_center', 'rural_elderly_home', 'sanwu_placement', 'social_assistance_agency', 'adoption_service', 'marriage_family_service', 'funeral_service'), civil_share, FALSE),
           cat IS NOT NULL, '2022-12-31', coalesce(category_missing, civil_missing)
    FROM inst_rules
    UNION ALL
    SELECT 1, o, 2, 'institution', id, 'agency-post-share', '三（九）',
           verdict(cat IN ('social_work_agency'), agency_share, TRUE),
           cat IS NOT NULL, NULL, coalesce(category_missing, agency_missing)
    FROM inst_rules
  )
  ORDER BY g, o, r
) TO '{{out}}' (FORMAT json);
