/**
 * The shared JsonLogic test suite (jsonlogic.com/tests.json, 277 cases, copied into
 * test/conformance from ../shared/conformance): interpreted and compiled forms both pass.
 */
import cases from './conformance/jsonlogic-tests.json';
import { compileRule, evaluateRule } from '../src';

type Case = [rule: unknown, data: unknown, expected: unknown];
const all = (cases as unknown[]).filter((c): c is Case => Array.isArray(c));

describe('JsonLogic conformance', () => {
  it('has all 277 cases', () => expect(all).toHaveLength(277));
  it.each(all.map((c, i) => [i, ...c]))('case %i, interpreted', (_i, rule, data, expected) => {
    expect(evaluateRule(rule, data)).toEqual(expected);
  });
  it.each(all.map((c, i) => [i, ...c]))('case %i, compiled', (_i, rule, data, expected) => {
    expect(compileRule(rule)(data)).toEqual(expected);
  });
});
