import { FakeSystem, hash, type Knobs, need } from '../fake-system';

const TIERS = ['A', 'B', 'C'] as const;
const LIMITS = { A: 500_000, B: 100_000, C: 20_000 };

/** A customer, derived from its id so every run sees the same one. */
function customer(id: string) {
  const tier = TIERS[hash(id) % 3];
  return { id, tier, creditLimit: LIMITS[tier], creditUsed: (hash(`${id}:used`) % 10) * 1000 };
}

/** CRM: customers with a tier and a credit limit; credit checks. Ids starting with X do not exist. */
export const createCrm = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'crm',
    () => ({ used: new Map<string, number>() }),
    [
      {
        method: 'GET',
        path: '/customers/:id',
        handle: ({ params }, state) => {
          if (params.id.startsWith('X'))
            return { status: 404, json: { error: 'unknown_customer' } };
          const c = customer(params.id);
          return { json: { ...c, creditUsed: c.creditUsed + (state.used.get(c.id) ?? 0) } };
        },
      },
      {
        method: 'POST',
        path: '/credit-checks',
        handle: ({ body }, state) => {
          const id = need.string(body, 'customerId');
          const amount = need.number(body, 'amount');
          if (id.startsWith('X')) return { status: 404, json: { error: 'unknown_customer' } };
          const c = customer(id);
          const used = c.creditUsed + (state.used.get(id) ?? 0);
          const approved = used + amount <= c.creditLimit;
          if (approved) state.used.set(id, (state.used.get(id) ?? 0) + amount);
          return { json: { approved, available: c.creditLimit - used - (approved ? amount : 0) } };
        },
      },
    ],
    knobs,
  );
