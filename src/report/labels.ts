/** Status and modality names for people, in zh and en. */
import type { Lang } from '../model/diagnostics.js';
import type { Modality, Status } from '../model/result.js';

/** Status names. */
export const STATUS_LABELS: Record<Status, Record<Lang, string>> = {
  violation: { zh: '违规', en: 'violation' },
  pending: { zh: '待达标', en: 'pending' },
  unknown: { zh: '信息不全', en: 'unknown' },
  advisory: { zh: '建议改进', en: 'advisory' },
  compliant: { zh: '符合', en: 'compliant' },
  eligible: { zh: '符合条件', en: 'eligible' },
  ineligible: { zh: '不符合条件', en: 'ineligible' },
  computed: { zh: '已计算', en: 'computed' },
  not_applicable: { zh: '不适用', en: 'not applicable' },
};

/** Modality names. */
export const MODALITY_LABELS: Record<Modality, Record<Lang, string>> = {
  must: { zh: '应当', en: 'must' },
  should: { zh: '鼓励', en: 'should' },
  may: { zh: '可以', en: 'may' },
};

/** Severity order for sorting: most urgent first. */
export const STATUS_RANK: Record<Status, number> = {
  violation: 0,
  pending: 1,
  unknown: 2,
  advisory: 3,
  ineligible: 4,
  eligible: 5,
  compliant: 6,
  computed: 7,
  not_applicable: 8,
};

/** Region levels as words, for totals kept apart by level. */
export const REGION_LEVEL_LABELS: Record<string, Record<Lang, string>> = {
  province: { zh: '省级', en: 'province level' },
  prefecture: { zh: '州（市）级', en: 'prefecture level' },
  county: { zh: '县级', en: 'county level' },
  township: { zh: '乡镇级', en: 'township level' },
  village: { zh: '村级', en: 'village level' },
};
