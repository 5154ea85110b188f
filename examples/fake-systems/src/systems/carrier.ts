import { FakeSystem, Invalid, type Knobs, need } from '../fake-system';

/** Price per km and kg by temperature band, and who carries it. */
const BANDS = {
  ambient: { carrier: 'SF', perKm: 1.2, perKg: 0.8, etaHoursPer100Km: 2 },
  chilled: { carrier: 'JD-Cold', perKm: 2.0, perKg: 1.5, etaHoursPer100Km: 2.5 },
  frozen: { carrier: 'JD-Cold', perKm: 2.4, perKg: 1.8, etaHoursPer100Km: 2.5 },
  '2-8C': { carrier: 'SinoPharm-Log', perKm: 3.0, perKg: 2.5, etaHoursPer100Km: 3 },
};

/** Carriers: quotes by temperature band, distance and weight; shipments with tracking numbers. */
export const createCarrier = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'carrier',
    () => ({ next: 1 }),
    [
      {
        method: 'POST',
        path: '/quotes',
        handle: ({ body }) => {
          const band = BANDS[body.band as keyof typeof BANDS];
          if (!band)
            throw new Invalid('band', `band must be one of ${Object.keys(BANDS).join(', ')}`);
          const km = need.number(body, 'distanceKm');
          const kg = need.number(body, 'weightKg');
          return {
            json: {
              carrier: band.carrier,
              band: body.band,
              price: {
                amount: Math.round((50 + km * band.perKm + kg * band.perKg) * 100) / 100,
                currency: 'CNY',
              },
              etaHours: Math.max(4, Math.ceil((km / 100) * band.etaHoursPer100Km)),
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/shipments',
        handle: ({ body }, state) => {
          const orderId = need.string(body, 'orderId');
          return {
            status: 201,
            json: { orderId, trackingNo: `TRK${String(state.next++).padStart(8, '0')}` },
          };
        },
      },
    ],
    knobs,
  );
