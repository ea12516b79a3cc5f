// The bundled policy (policies/yunnan-social-work/2021) written by hand in plain JavaScript:
// the limit the engine is measured against. It works on the raw facts as JSON.parse returns
// them and computes what the engine computes for each rule: the status, the due date and the
// missing facts, with the same three-valued logic (a missing field is unknown, null is none).
//
// It is written the way a careful programmer would write it for this one policy: parameters
// in force hard-coded for an as-of date, quotas in integer arithmetic (sw * 10 >= prof * 7,
// because 0.7 * 10 is 7.000000000000001 in floating point), sets as `Set`s, no validation of
// the input. bench/run.js checks on every run that its output equals the engine's.

const TOWNSHIP_PLATFORMS = new Set(['township_party_service_center', 'township_governance_center', 'township_social_affairs_office', 'township_public_service_platform']);
const CIVIL_AFFAIRS = new Set(['social_welfare_home', 'children_welfare_home', 'relief_station', 'minor_relief_center', 'rural_elderly_home', 'sanwu_placement', 'social_assistance_agency', 'adoption_service', 'marriage_family_service', 'funeral_service']);
const MEDICAL = new Set(['hospital', 'disabled_welfare_institution']);
const CORRECTION = new Set(['community_drug_rehab', 'community_rehabilitation', 'community_correction', 'resettlement_education', 'custodial_facility']);
const DRUG_CONTROL = new Set(['drug_control_department', 'administrative_detention', 'compulsory_isolation_rehab', 'drug_rehab_facility', 'drug_maintenance_clinic', 'voluntary_rehab_clinic']);
const UNION = new Set(['trade_union_service']);
const SOCIAL_SERVICE = new Set(['minor_protection', 'youth_center', 'women_children_rights', 'women_children_training', 'disabled_rights', 'disabled_education_rehab', 'veterans_service']);
const SW_AGENCIES = new Set(['social_work_agency']);
const OTHER_ORGS = new Set(['private_elderly_care', 'disabled_care_service', 'worker_service_org', 'other_social_org']);
const TASKS = new Set(['帮困扶弱', '情绪疏导', '心理抚慰', '精神关爱', '行为矫治', '社会康复', '权益维护', '危机干预', '关系调适', '矛盾化解', '能力建设', '资源链接',
  '社会融入', '培育社区社会组织', '开展社区活动', '参与社区协商', '化解社区矛盾', '促进社区发展', '需求评估', '方案设计', '项目管理', '绩效评价',
  '行动研究', '专业督导', '志愿者招募', '志愿者注册', '志愿者培训', '志愿者考核', '组织志愿服务']);
const FIELDS = new Set(['社会福利', '社会救助', '慈善事业', '社区建设', '婚姻家庭', '精神卫生', '残障康复', '教育辅导', '就业援助', '职工帮扶', '犯罪预防', '禁毒戒毒',
  '矫治帮教', '卫生健康', '纠纷调解', '未成年人司法保护', '应急处置']);
const PRIORITY = new Set(['矫治帮教', '卫生健康', '职工帮扶']);
const GOVERNMENTS = new Set(['province', 'prefecture', 'county']);
const CERTIFIED = new Set(['assistant', 'intermediate', 'senior']);
const POST_LEVEL = new Map([['assistant|1', 11], ['assistant|2', 12], ['intermediate|1', 8], ['intermediate|2', 9], ['intermediate|3', 10], ['senior|1', 5], ['senior|2', 6], ['senior|3', 7]]);
const QUAL_RANK = { none: 0, assistant: 1, intermediate: 2, senior: 3 };
const TIER_RANK = { assistant: 1, intermediate: 2, senior: 3 };

// Parameters in force from 2021-01-01 (the policy's effective date); the three the province
// leaves to local supplements are unset, so rules that need them are unknown.
const CIVIL_AFFAIRS_DEADLINE = '2022-12-31';
const TOWNSHIP_DEADLINE = '2021-06-30';
const VILLAGE_DEADLINE = '2021-12-31';
const HARD_AREA_MIN_YEARS = 2;

const U = undefined; // unknown

/** Kleene and/or over true, false and undefined (unknown); null counts as false. */
function and(a, b) {
  return a === false || b === false ? false : a === U || b === U ? U : true;
}
function or(a, b) {
  return a === true || b === true ? true : a === U || b === U ? U : false;
}
function bool(v) {
  return v === U ? U : v === true;
}

/**
 * Builds the rules for one as-of date. Each rule is `(subject, path, missing) => status`
 * and sets `out.due`; `missing` collects facts read but absent, in reading order.
 */
export function handwrittenRules(asOf) {
  const out = { due: null };
  const inForce = asOf >= '2021-01-01';
  const verdict = (holds, must, deadline) => {
    if (holds === U) return 'unknown';
    if (holds) return 'compliant';
    if (!must) return 'advisory';
    return deadline !== null && asOf <= deadline ? 'pending' : 'violation';
  };
  const entitled = (holds) => (holds === U ? 'unknown' : holds ? 'eligible' : 'ineligible');

  // Reads a field: pushes its path when absent.
  const get = (obj, key, path, missing) => {
    const v = obj[key];
    if (v === U) missing.push(path + '.' + key);
    return v;
  };
  const get2 = (obj, group, key, path, missing) => {
    const g = obj[group];
    if (g === null) return null;
    const v = g === U ? U : g[key];
    if (v === U) missing.push(path + '.' + group + '.' + key);
    return v;
  };
  const gt0 = (v) => (v === U ? U : v !== null && v > 0);
  const inSet = (v, set) => (v === U ? U : set.has(v));

  const stationInTime = (r, path, deadline, missing) => {
    const st = r.sw_station;
    let has;
    if (st === U) {
      missing.push(path + '.sw_station');
      has = U;
    } else has = st !== null;
    if (has === false) return false;
    const e1 = get2(r, 'sw_station', 'established', path, missing);
    const a = and(has, e1 === U ? U : e1 !== null && e1 <= deadline);
    if (a === false) return false;
    const e2 = get2(r, 'sw_station', 'established', path, missing);
    return and(a, e2 === U ? U : e2 !== null && e2 <= asOf);
  };

  // A worker is a social-work professional: certified, or on a social-work post.
  const isProfessional = (w, path, missing) => {
    const q = get(w, 'qualification', path, missing);
    const a = q === U ? U : CERTIFIED.has(q);
    if (a === true) return true;
    const tier = get2(w, 'post', 'tier', path, missing);
    return or(a, tier === U ? U : tier !== null);
  };

  // Institution rules whose where is `i.category in SET` and requirement `sw > 0`.
  const categoryPosts = (set, must) => (i, path, missing) => {
    out.due = null;
    const c = get(i, 'category', path, missing);
    if (c === U) return 'unknown';
    if (!set.has(c)) return 'not_applicable';
    return verdict(gt0(get2(i, 'posts', 'social_work', path, missing)), must, null);
  };
  const categoryTrackPosts = (set) => (i, path, missing) => {
    out.due = null;
    const c = get(i, 'category', path, missing);
    if (c === U) return 'unknown';
    if (!set.has(c)) return 'not_applicable';
    const a = bool(get(i, 'sw_in_professional_track', path, missing));
    if (a === false) return verdict(false, true, null);
    return verdict(and(a, gt0(get2(i, 'posts', 'social_work', path, missing))), true, null);
  };
  // `sw >= num/den * of`, exactly.
  const share = (sw, num, den, of) => (sw === U || of === U ? U : sw === null || of === null ? false : sw * den >= of * num);
  const allIn = (list, set) => {
    for (const x of list) if (!set.has(x)) return false;
    return true;
  };
  const listRule = (key, set, kind) => (i, path, missing) => {
    out.due = null;
    const list = get(i, key, path, missing);
    if (list === U) return 'unknown';
    if (list === null) return 'not_applicable';
    if (kind === 'all') return verdict(allIn(list, set), false, null);
    return entitled(list.some((x) => set.has(x)));
  };
  const regionFlag = (key) => (r, path, missing) => {
    out.due = null;
    const level = get(r, 'level', path, missing);
    if (level === U) return 'unknown';
    if (!GOVERNMENTS.has(level)) return 'not_applicable';
    return verdict(bool(get(r, key, path, missing)), true, null);
  };
  const professional = (decide) => (w, path, missing) => {
    out.due = null;
    const p = isProfessional(w, path, missing);
    if (p === U) return 'unknown';
    if (!p) return 'not_applicable';
    return decide(w, path, missing);
  };

  const region = [
    ['township-station', '三（十）', 'must', (r, path, missing) => {
      out.due = null;
      const level = get(r, 'level', path, missing);
      if (level === U) return 'unknown';
      if (level !== 'township') return 'not_applicable';
      out.due = TOWNSHIP_DEADLINE;
      return verdict(stationInTime(r, path, TOWNSHIP_DEADLINE, missing), true, TOWNSHIP_DEADLINE);
    }],
    ['township-station-coverage', '三（十）', 'must', (r, path, missing, below) => {
      out.due = null;
      const level = get(r, 'level', path, missing);
      if (level === U) return 'unknown';
      if (!GOVERNMENTS.has(level)) return 'not_applicable';
      out.due = TOWNSHIP_DEADLINE;
      let unknown = false;
      for (const t of below(r)) {
        const tpath = 'regions[' + t.id + ']';
        const tl = get(t, 'level', tpath, missing);
        const w = tl === U ? U : tl === 'township';
        if (w === false) continue;
        const b = stationInTime(t, tpath, TOWNSHIP_DEADLINE, missing);
        if (b === true) continue;
        if (w === true && b === false) return verdict(false, true, TOWNSHIP_DEADLINE);
        unknown = true;
      }
      return verdict(unknown ? U : true, true, TOWNSHIP_DEADLINE);
    }],
    ['village-station', '三（十）', 'should', (r, path, missing) => {
      out.due = null;
      const level = get(r, 'level', path, missing);
      const a = level === U ? U : level === 'village';
      if (a === false) return 'not_applicable';
      const applies = and(a, bool(get(r, 'conditions_permit', path, missing)));
      if (applies === U) return 'unknown';
      if (!applies) return 'not_applicable';
      out.due = VILLAGE_DEADLINE;
      return verdict(stationInTime(r, path, VILLAGE_DEADLINE, missing), false, VILLAGE_DEADLINE);
    }],
    ['purchase-budget-counts-staff-cost', '五（一）', 'must', regionFlag('purchase_budget_counts_sw_cost')],
    ['development-plan', '六（一）', 'must', regionFlag('sw_in_development_plan')],
    ['incentive-funds-in-budget', '六（二）', 'must', regionFlag('sw_pay_in_budget')],
    ['purchase-catalogue', '六（二）', 'must', regionFlag('sw_in_purchase_catalogue')],
    ['performance-targets', '六（三）', 'must', regionFlag('sw_in_performance_targets')],
  ];

  const institution = [
    ['post-duties-defined', '二（一）', 'must', (i, path, missing) => {
      out.due = null;
      const applies = gt0(get2(i, 'posts', 'social_work', path, missing));
      if (applies === U) return 'unknown';
      if (!applies) return 'not_applicable';
      return verdict(bool(get(i, 'post_duties_defined', path, missing)), true, null);
    }],
    ['post-tasks-recognised', '二（一）', 'should', listRule('sw_post_tasks', TASKS, 'all')],
    ['service-fields-recognised', '二（二）', 'should', listRule('service_fields', FIELDS, 'all')],
    ['priority-field-support', '二（二）', 'should', listRule('service_fields', PRIORITY, 'any')],
    ['township-platform-posts', '三（一）', 'must', categoryTrackPosts(TOWNSHIP_PLATFORMS)],
    ['civil-affairs-post-share', '三（二）', 'must', (i, path, missing) => {
      out.due = null;
      const c = get(i, 'category', path, missing);
      if (c === U) return 'unknown';
      if (!CIVIL_AFFAIRS.has(c)) return 'not_applicable';
      out.due = CIVIL_AFFAIRS_DEADLINE;
      const sw = get2(i, 'posts', 'social_work', path, missing);
      const prof = get2(i, 'posts', 'professional', path, missing);
      return verdict(share(sw, 7, 10, prof), true, CIVIL_AFFAIRS_DEADLINE);
    }],
    ['medical-disability-posts', '三（三）', 'must', categoryTrackPosts(MEDICAL)],
    ['correction-posts-by-caseload', '三（四）', 'must', (i, path, missing) => {
      out.due = null;
      const c = get(i, 'category', path, missing);
      if (c === U) return 'unknown';
      if (!CORRECTION.has(c)) return 'not_applicable';
      // service_ratio is unset in the provincial policy: the quota is unknown.
      const a = gt0(get2(i, 'posts', 'social_work', path, missing));
      if (a === false) return 'violation';
      get2(i, 'posts', 'social_work', path, missing);
      get(i, 'service_subjects', path, missing);
      missing.push('param service_ratio');
      return 'unknown';
    }],
    ['drug-control-staffing', '三（五）', 'should', categoryPosts(DRUG_CONTROL, false)],
    ['school-social-work', '三（六）', 'must', (i, path, missing) => {
      out.due = null;
      const c = get(i, 'category', path, missing);
      if (c === U) return 'unknown';
      if (c !== 'school') return 'not_applicable';
      const room = bool(get(i, 'sw_room', path, missing));
      if (room === false) return 'violation';
      return verdict(and(room, bool(get(i, 'sw_in_professional_track', path, missing))), true, null);
    }],
    ['school-staffing-ratio', '三（六）', 'must', (i, path, missing) => {
      out.due = null;
      const c = get(i, 'category', path, missing);
      if (c === U) return 'unknown';
      if (c !== 'school') return 'not_applicable';
      // school_ratio is unset in the provincial policy: the quota is unknown.
      get2(i, 'posts', 'social_work', path, missing);
      get(i, 'students', path, missing);
      missing.push('param school_ratio');
      return 'unknown';
    }],
    ['union-posts', '三（七）', 'may', categoryPosts(UNION, false)],
    ['social-service-unit-posts', '三（八）', 'may', categoryPosts(SOCIAL_SERVICE, false)],
    ['agency-post-share', '三（九）', 'must', (i, path, missing) => {
      out.due = null;
      const c = get(i, 'category', path, missing);
      if (c === U) return 'unknown';
      if (!SW_AGENCIES.has(c)) return 'not_applicable';
      const sw = get2(i, 'posts', 'social_work', path, missing);
      const total = get2(i, 'posts', 'total', path, missing);
      return verdict(share(sw, 7, 10, total), true, null);
    }],
    ['social-org-posts', '三（九）', 'must', categoryPosts(OTHER_ORGS, true)],
    ['purchased-service-pay-standard', '五（一）', 'must', (i, path, missing) => {
      out.due = null;
      const applies = bool(get(i, 'undertakes_purchased_services', path, missing));
      if (applies === U) return 'unknown';
      if (!applies) return 'not_applicable';
      return verdict(bool(get(i, 'sw_pay_standard_set', path, missing)), true, null);
    }],
  ];

  const worker = [
    ['post-grade-level', '四', 'must', (w, path, missing) => {
      out.due = null;
      const t = get2(w, 'post', 'tier', path, missing);
      if (t === U) return 'unknown';
      if (t === null) return 'not_applicable';
      const level = get2(w, 'post', 'level', path, missing);
      const grade = get2(w, 'post', 'grade', path, missing);
      const want = grade === U ? U : grade === null ? null : POST_LEVEL.get(t + '|' + grade) ?? null;
      const a = level === U || want === U ? U : level === want;
      if (a === false) return 'violation';
      const q = get(w, 'qualification', path, missing);
      const b = q === U ? U : q !== null && QUAL_RANK[q] >= TIER_RANK[t];
      return verdict(and(a, b), true, null);
    }],
    ['social-insurance-housing-fund', '五（一）', 'must', professional((w, path, missing) => {
      const a = bool(get(w, 'social_insurance', path, missing));
      if (a === false) return 'violation';
      return verdict(and(a, bool(get(w, 'housing_fund', path, missing))), true, null);
    })],
    ['community-worker-allowance', '五（一）', 'must', (w, path, missing) => {
      out.due = null;
      const cw = bool(get(w, 'community_worker', path, missing));
      if (cw === U) return 'unknown';
      if (!cw) return 'not_applicable';
      return entitled(inSet(get(w, 'qualification', path, missing), CERTIFIED));
    }],
    ['community-worker-allowance-paid', '五（一）', 'must', (w, path, missing) => {
      out.due = null;
      const cw = bool(get(w, 'community_worker', path, missing));
      if (cw === false) return 'not_applicable';
      const applies = and(cw, inSet(get(w, 'qualification', path, missing), CERTIFIED));
      if (applies === U) return 'unknown';
      if (!applies) return 'not_applicable';
      return verdict(bool(get(w, 'occupational_allowance', path, missing)), true, null);
    }],
    ['xingdian-award', '五（二）', 'should', professional((w, path, missing) => entitled(bool(get(w, 'outstanding_contribution', path, missing))))],
    ['recruitment-priority', '五（三）', 'must', professional((w, path, missing) => {
      // grassroots_experience_years is unset in the provincial policy.
      get(w, 'grassroots_years', path, missing);
      missing.push('param grassroots_experience_years');
      return 'unknown';
    })],
    ['hard-area-promotion-priority', '五（四）', 'must', professional((w, path, missing) => entitled(bool(get(w, 'hard_area', path, missing))))],
    ['hard-area-admission-priority', '五（四）', 'must', professional((w, path, missing) => {
      const y = get(w, 'hard_area_years', path, missing);
      return entitled(y === U ? U : y !== null && y >= HARD_AREA_MIN_YEARS);
    })],
  ];

  const byKind = { region, institution, worker };
  if (!inForce) for (const list of Object.values(byKind)) for (const r of list) r[3] = () => ((out.due = null), 'not_applicable');
  return { byKind, out };
}

/**
 * Townships and other regions below each region, for `township-station-coverage`: the
 * transitive `descendants` relation, in the engine's order (depth first, children in file order).
 */
export function descendantsIndex(regions) {
  const children = new Map();
  for (const r of regions) {
    if (r.parent === undefined || r.parent === null) continue;
    let list = children.get(r.parent);
    if (!list) children.set(r.parent, (list = []));
    list.push(r);
  }
  const cache = new Map();
  const below = (r) => {
    let out = cache.get(r.id);
    if (out) return out;
    out = [];
    const stack = [...(children.get(r.id) ?? [])].reverse();
    const seen = new Set();
    while (stack.length) {
      const s = stack.pop();
      if (seen.has(s)) continue;
      seen.add(s);
      out.push(s);
      const next = children.get(s.id) ?? [];
      for (let k = next.length - 1; k >= 0; k--) stack.push(next[k]);
    }
    cache.set(r.id, out);
    return out;
  };
  return below;
}
