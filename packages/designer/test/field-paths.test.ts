import { standardOrderFlow } from '@ordo/engine/testing';
import { fieldPaths } from '../src/model/field-paths';

describe('fieldPaths', () => {
  it('lists the scalar paths of a flow, inside objects, per list line and at the first element', () => {
    const paths = fieldPaths(standardOrderFlow.fields);
    expect(paths).toEqual(
      expect.arrayContaining([
        'customer.id',
        'lines[].sku',
        'lines[].qty',
        'lines.0.sku',
        'lines.0.qty',
        'stock.available',
      ]),
    );
    expect(paths).not.toContain('customer');
    expect(paths).not.toContain('lines');
  });
});
