// The bundled policy's rules as json-rules-engine conditions, for the core benchmark. Each
// policy rule becomes two engine rules, `<id>:where` and `<id>:holds`, whose events say which
// held; the status is derived from them as the engine derives it. Facts are the raw subject
// (`subject`, read with JSONPath) and the as-of date. json-rules-engine has no arithmetic, so
// quotas (`sw >= 70% of professional`) use a custom operator, as its documentation suggests.
// It has no unknown either: a missing fact is undefined and every comparison with it fails,
// so rules the engine answers `unknown` come out differently; only speed is compared.

import jre from 'json-rules-engine';

const { Engine, Rule } = jre;

const fact = (path, operator, value) => ({ fact: 'subject', path: `$.${path}`, operator, value });
const inSet = (path, values) => fact(path, 'in', values);
const isTrue = (path) => fact(path, 'equal', true);
const positive = (path) => fact(path, 'greaterThan', 0);

const TOWNSHIP_PLATFORMS = ['township_party_service_center', 'township_governance_center', 'township_social_affairs_office', 'township_public_service_platform'];
const CIVIL_AFFAIRS = ['social_welfare_home', 'children_welfare_home', 'relief_station', 'minor_relief_center', 'rural_elderly_home', 'sanwu_placement', 'social_assistance_agency', 'adoption_service', 'marriage_family_service', 'funeral_service'];
const MEDICAL = ['hospital', 'disabled_welfare_institution'];
const DRUG_CONTROL = ['drug_control_department', 'administrative_detention', 'compulsory_isolation_rehab', 'drug_rehab_facility', 'drug_maintenance_clinic', 'voluntary_rehab_clinic'];
const SOCIAL_SERVICE = ['minor_protection', 'youth_center', 'women_children_rights', 'women_children_training', 'disabled_rights', 'disabled_education_rehab', 'veterans_service'];
const OTHER_ORGS = ['private_elderly_care', 'disabled_care_service', 'worker_service_org', 'other_social_org'];
const GOVERNMENTS = ['province', 'prefecture', 'county'];
const CERTIFIED = ['assistant', 'intermediate', 'senior'];
const professional = { any: [inSet('qualification', CERTIFIED), fact('post.tier', 'in', ['assistant', 'intermediate', 'senior'])] };

/** [kind, id, modality, type, deadline, where, holds] for the rules json-rules-engine can state. */
export const JRE_RULES = [
  ['institution', 'post-duties-defined', 'must', 'obligation', null, { all: [positive('posts.social_work')] }, { all: [isTrue('post_duties_defined')] }],
  ['institution', 'township-platform-posts', 'must', 'obligation', null, { all: [inSet('category', TOWNSHIP_PLATFORMS)] }, { all: [isTrue('sw_in_professional_track'), positive('posts.social_work')] }],
  ['institution', 'civil-affairs-post-share', 'must', 'obligation', '2022-12-31', { all: [inSet('category', CIVIL_AFFAIRS)] }, { all: [fact('posts', 'shareAtLeast', { num: 7, den: 10, of: 'professional' })] }],
  ['institution', 'medical-disability-posts', 'must', 'obligation', null, { all: [inSet('category', MEDICAL)] }, { all: [isTrue('sw_in_professional_track'), positive('posts.social_work')] }],
  ['institution', 'drug-control-staffing', 'should', 'obligation', null, { all: [inSet('category', DRUG_CONTROL)] }, { all: [positive('posts.social_work')] }],
  ['institution', 'school-social-work', 'must', 'obligation', null, { all: [fact('category', 'equal', 'school')] }, { all: [isTrue('sw_room'), isTrue('sw_in_professional_track')] }],
  ['institution', 'union-posts', 'may', 'obligation', null, { all: [fact('category', 'equal', 'trade_union_service')] }, { all: [positive('posts.social_work')] }],
  ['institution', 'social-service-unit-posts', 'may', 'obligation', null, { all: [inSet('category', SOCIAL_SERVICE)] }, { all: [positive('posts.social_work')] }],
  ['institution', 'agency-post-share', 'must', 'obligation', null, { all: [fact('category', 'equal', 'social_work_agency')] }, { all: [fact('posts', 'shareAtLeast', { num: 7, den: 10, of: 'total' })] }],
  ['institution', 'social-org-posts', 'must', 'obligation', null, { all: [inSet('category', OTHER_ORGS)] }, { all: [positive('posts.social_work')] }],
  ['institution', 'purchased-service-pay-standard', 'must', 'obligation', null, { all: [isTrue('undertakes_purchased_services')] }, { all: [isTrue('sw_pay_standard_set')] }],
  ['region', 'purchase-budget-counts-staff-cost', 'must', 'obligation', null, { all: [inSet('level', GOVERNMENTS)] }, { all: [isTrue('purchase_budget_counts_sw_cost')] }],
  ['region', 'development-plan', 'must', 'obligation', null, { all: [inSet('level', GOVERNMENTS)] }, { all: [isTrue('sw_in_development_plan')] }],
  ['region', 'incentive-funds-in-budget', 'must', 'obligation', null, { all: [inSet('level', GOVERNMENTS)] }, { all: [isTrue('sw_pay_in_budget')] }],
  ['region', 'purchase-catalogue', 'must', 'obligation', null, { all: [inSet('level', GOVERNMENTS)] }, { all: [isTrue('sw_in_purchase_catalogue')] }],
  ['region', 'performance-targets', 'must', 'obligation', null, { all: [inSet('level', GOVERNMENTS)] }, { all: [isTrue('sw_in_performance_targets')] }],
  ['worker', 'social-insurance-housing-fund', 'must', 'obligation', null, professional, { all: [isTrue('social_insurance'), isTrue('housing_fund')] }],
  ['worker', 'community-worker-allowance', 'must', 'entitlement', null, { all: [isTrue('community_worker')] }, { all: [inSet('qualification', CERTIFIED)] }],
  ['worker', 'community-worker-allowance-paid', 'must', 'obligation', null, { all: [isTrue('community_worker'), inSet('qualification', CERTIFIED)] }, { all: [isTrue('occupational_allowance')] }],
  ['worker', 'xingdian-award', 'should', 'entitlement', null, professional, { all: [isTrue('outstanding_contribution')] }],
  ['worker', 'hard-area-promotion-priority', 'must', 'entitlement', null, professional, { all: [isTrue('hard_area')] }],
  ['worker', 'hard-area-admission-priority', 'must', 'entitlement', null, professional, { all: [fact('hard_area_years', 'greaterThanInclusive', 2)] }],
];

/** One json-rules-engine Engine per subject kind, with the where/holds pairs of its rules. */
export function jreEngines() {
  const engines = new Map();
  for (const [kind, id, , , , where, holds] of JRE_RULES) {
    let engine = engines.get(kind);
    if (!engine) {
      engine = new Engine([], { allowUndefinedFacts: true });
      engine.addOperator('shareAtLeast', (posts, v) => posts != null && posts.social_work != null && posts[v.of] != null && posts.social_work * v.den >= posts[v.of] * v.num);
      engines.set(kind, engine);
    }
    engine.addRule(new Rule({ conditions: where, event: { type: `${id}:where` } }));
    engine.addRule(new Rule({ conditions: holds, event: { type: `${id}:holds` } }));
  }
  return engines;
}

/** Statuses of one subject's rules from the events json-rules-engine fired. */
export function jreStatuses(kind, events, asOf) {
  const fired = new Set(events.map((e) => e.type));
  const out = [];
  for (const [k, id, modality, type, deadline] of JRE_RULES) {
    if (k !== kind) continue;
    if (!fired.has(`${id}:where`)) out.push('not_applicable');
    else if (type === 'entitlement') out.push(fired.has(`${id}:holds`) ? 'eligible' : 'ineligible');
    else if (fired.has(`${id}:holds`)) out.push('compliant');
    else if (modality !== 'must') out.push('advisory');
    else out.push(deadline !== null && asOf <= deadline ? 'pending' : 'violation');
  }
  return out;
}
