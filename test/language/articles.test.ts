/**
 * Article numbering of laws and regulations (第X章, 第X条, 款 by paragraph, 项 by item) beside the
 * section numbering of notices (一、（一）): which cites a document defines, where each paragraph
 * falls, and cites and quotes checked against it.
 */
import { describe, expect, it } from 'vitest';
import { chineseNumeral, citeCovers, detectScheme, outlineSource } from '../../src/check/source-outline.js';
import { compileMemory } from '../helpers/policy.js';

const MEASURE = `某市社区工作者职业津贴实施办法（示例）

第一章 总则
第一条 为落实职业津贴制度，制定本办法。
第二条 本办法适用于本市持证社区工作者。
第二章 津贴标准
第三条 职业津贴按月发放，标准如下：
（一）助理社会工作师每人每月300元；
（二）社会工作师每人每月500元。
在岗不满一年的，按实际在岗月数折算。
1. 折算结果保留到分；
（1）四舍五入。
第四条 有下列情形之一的，不发放职业津贴：
（一）已享受同类津贴的；
（二）受到处分的。
`;

describe('numbering schemes', () => {
  it('detects articles from lines that start with 第X条, sections otherwise', () => {
    expect(detectScheme(MEASURE)).toBe('articles');
    expect(detectScheme('一、总体要求\n（一）指导思想。依据第三条……\n')).toBe('sections');
  });

  it.each([[1, '一'], [2, '二'], [10, '十'], [12, '十二'], [20, '二十'], [35, '三十五'], [100, '一百'], [105, '一百零五'], [112, '一百一十二']])('%i is %s', (n, text) => {
    expect(chineseNumeral(n)).toBe(text);
  });

  it('gives each paragraph its article, 款 and 项', () => {
    const doc = outlineSource('source.txt', MEASURE);
    expect(doc.paragraphs.map((p) => [p.line, p.cite])).toEqual([
      [1, ''],
      [3, '第一章'],
      [4, '第一条第一款'],
      [5, '第二条第一款'],
      [6, '第二章'],
      [7, '第三条第一款'],
      [8, '第三条第一款第一项'],
      [9, '第三条第一款第二项'],
      [10, '第三条第二款'],
      [11, '第三条第二款'], // `1.` is a sub-item: no new 款
      [12, '第三条第二款'], // so is `（1）`
      [13, '第四条第一款'],
      [14, '第四条第一款第一项'],
      [15, '第四条第一款第二项'],
    ]);
    for (const c of ['第一章', '第三条', '第三条第二款', '第三条第一项', '第三条第一款第二项', '第四条第二项']) expect(doc.cites.has(c), c).toBe(true);
    expect(doc.cites.has('第三条第三款')).toBe(false);
  });

  it.each([
    ['第三条', '第三条第二款', true],
    ['第三条第一项', '第三条第一款第一项', true],
    ['第三条第二款', '第三条第一款第一项', false],
    ['第一条', '第十一条第一款', false],
    ['三', '三（二）', true],
    ['三', '十三（二）', false],
  ])('%s covers %s: %s', (cite, paragraph, want) => {
    expect(citeCovers(cite, paragraph)).toBe(want);
  });
});

describe('cites and quotes under articles', () => {
  const policy = (rule: string) => `policy m version "1" source "source.txt"
kind worker from workers { n: integer }
rule r cite ${rule} for worker w must w.n > 0
`;
  it.each([
    ['"第三条" quote "按实际在岗月数折算"', []],
    ['"第三条第二款" quote "按实际在岗月数折算"', []],
    ['"第三条第一项" quote "助理社会工作师每人每月300元"', []],
    ['"第四条第二项" quote "受到处分的"', []],
    ['"第三条第一款" quote "按实际在岗月数折算"', ['C0019']],
    ['"第九条"', ['C0006']],
    ['"第三条第三款"', ['C0006']],
  ])('cite %s', (rule, codes) => {
    const loaded = compileMemory({ 'p.clause': policy(rule) }, MEASURE);
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(codes);
  });
});
