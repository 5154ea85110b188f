import { compileRule } from '@ordo/engine';
const codes = Array.from({ length: 50 }, (_, i) => `D${(i * 7919) % 99_000}`);
const plainScope = { lines: codes.map((code) => ({ code, qty: 2, known: true, restricted: false })) };
const plain = compileRule({ all: [{ var: 'lines' }, { and: [{ var: 'known' }, { '!': { var: 'restricted' } }] }] });
const hand = (d: any) => { const l = d.lines; if (!Array.isArray(l) || l.length === 0) return false; for (let i = 0; i < l.length; i++) { const x = l[i]; if (!(x.known && !x.restricted)) return false; } return true; };
for (let r = 0; r < 3; r++) for (const [name, f] of [['ordo', plain], ['hand', hand]] as const) {
  const loop = new Function('f', 'd', 'N', 'let c = 0; for (let i = 0; i < N; i++) if (f(d)) c++; return c;');
  const N = 1e6; const t0 = process.hrtime.bigint(); loop(f, plainScope, N);
  if (r === 2) console.log(name, (Number(process.hrtime.bigint() - t0) / N / 50).toFixed(2), 'ns/line');
}
