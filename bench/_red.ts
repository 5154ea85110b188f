import { compileRule } from '@ordo/engine';
const lines = Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${i}`, qty: (i % 7) + 1, price: 100 + i, bin: `P-${i % 9}` }));
const data = { customer: { creditLimit: 500000 }, lines };
const rule = compileRule({ '<=': [ { reduce: [ { var: 'lines' }, { '+': [ { var: 'accumulator' }, { '*': [{ var: 'current.qty' }, { var: 'current.price' }] } ] }, 0 ] }, { var: 'customer.creditLimit' } ] });
const hand = (d: any) => { let a = 0; const l = d.lines; for (let i = 0; i < l.length; i++) a = a + l[i].qty * l[i].price; return a <= d.customer.creditLimit; };
for (const [name, f] of [['hand', hand], ['ordo', rule], ['hand', hand], ['ordo', rule]] as const) {
  let c = 0; const N = 2e6; const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) if (f(data)) c++;
  console.log(name, (Number(process.hrtime.bigint() - t0) / N).toFixed(1), 'ns/call');
}
