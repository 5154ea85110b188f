import {
  freeName,
  listOf,
  logicText,
  renameKey,
  textLogic,
  withoutKey,
} from '../src/model/integration-edits';

describe('integration edits', () => {
  it('shows json-logic as a line and reads it back', () => {
    expect(logicText({ var: '$body.orderNo' })).toBe('$body.orderNo');
    expect(logicText({ cat: ['A-', { var: '$body.n' }] })).toBe('{"cat":["A-",{"var":"$body.n"}]}');
    expect(logicText(undefined)).toBe('');
    expect(textLogic('$body.orderNo')).toEqual({ var: '$body.orderNo' });
    expect(textLogic('{"cat":["A-",{"var":"$body.n"}]}')).toEqual({
      cat: ['A-', { var: '$body.n' }],
    });
    expect(textLogic('"confirm"')).toBe('confirm');
    expect(textLogic('  ')).toBeUndefined();
    expect(textLogic('{not json')).toEqual({ var: '{not json' });
    for (const logic of [{ var: 'a.b' }, { '==': [1, 1] }, 'text'])
      expect(textLogic(logicText(logic))).toEqual(logic);
  });

  it('renames keys in place, finds free names and reads lists', () => {
    expect(Object.keys(renameKey({ a: 1, b: 2, c: 3 }, 'b', 'x'))).toEqual(['a', 'x', 'c']);
    expect(freeName('crm', ['erp'])).toBe('crm');
    expect(freeName('crm', ['crm', 'crm_2'])).toBe('crm_3');
    expect(listOf(' finance, ops ,,')).toEqual(['finance', 'ops']);
    expect(withoutKey({ a: 1, b: 2 }, 'a')).toEqual({ b: 2 });
  });
});
