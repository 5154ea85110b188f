import { idFromLabel, idProblem } from '../src/model/ids';

describe('state ids from labels', () => {
  it('suggests a schema-valid id from what a person typed, unique in the flow', () => {
    expect(idFromLabel('Stock locked', new Set())).toBe('stock_locked');
    expect(idFromLabel('  Finance — reviewed! ', new Set())).toBe('finance_reviewed');
    expect(idFromLabel('Crédit vérifié', new Set())).toBe('credit_verifie');
    expect(idFromLabel('2nd check', new Set())).toBe('s_2nd_check');
    expect(idFromLabel('Done', new Set(['done', 'done_2']))).toBe('done_3');
    // Nothing Latin to go on: the fallback, numbered.
    expect(idFromLabel('已锁库存', new Set(['state']))).toBe('state_2');
    expect(idFromLabel('x'.repeat(100), new Set()).length).toBeLessThanOrEqual(64);
  });

  it('says why an id cannot be used', () => {
    const taken = new Set(['new']);
    expect(idProblem('', taken)).toBe('required');
    expect(idProblem('has space', taken)).toBe('pattern');
    expect(idProblem('9lives', taken)).toBe('pattern');
    expect(idProblem('__proto__', taken)).toBe('pattern');
    expect(idProblem('x'.repeat(65), taken)).toBe('pattern');
    expect(idProblem('new', taken)).toBe('taken');
    expect(idProblem('stock_locked', taken)).toBeUndefined();
  });
});
