import { FakeSystem, Invalid, type Knobs, need } from '../fake-system';

/** The temperature bands a vehicle can hold. */
export const BANDS = ['ambient', 'chilled', 'frozen', '2-8C'] as const;
type Band = (typeof BANDS)[number];

export interface Position {
  lat: number;
  lng: number;
}

/** A carrier's price model (CNY: a base, per km, per kg) and the speed its vehicles make. */
interface Carrier {
  id: string;
  base: number;
  perKm: number;
  perKg: number;
  kmPerHour: number;
}

/** A vehicle: its carrier, the one band its body holds (a reefer's set point), where it is now. */
export interface Vehicle {
  id: string;
  carrier: string;
  band: Band;
  position: Position;
}

/** The distributor's warehouse (Beijing): where jobs are picked up unless a quote says otherwise. */
export const DEPOT: Position = { lat: 39.9, lng: 116.4 };

/**
 * Four carriers: an ambient parcel carrier (cheapest, no cold chain), a cheap cold-chain carrier
 * whose only truck starts in Shijiazhuang (270 km away), and two cold-chain carriers in Beijing.
 */
const CARRIERS: Carrier[] = [
  { id: 'SF-Express', base: 40, perKm: 1.2, perKg: 0.8, kmPerHour: 70 },
  { id: 'BlueCold', base: 40, perKm: 1.8, perKg: 1.2, kmPerHour: 60 },
  { id: 'JD-Cold', base: 50, perKm: 2.2, perKg: 1.5, kmPerHour: 65 },
  { id: 'SinoPharm-Log', base: 60, perKm: 3.0, perKg: 2.5, kmPerHour: 70 },
];

const VEHICLES = (): Vehicle[] => [
  { id: 'SF-A1', carrier: 'SF-Express', band: 'ambient', position: { lat: 39.95, lng: 116.35 } },
  { id: 'BC-7', carrier: 'BlueCold', band: '2-8C', position: { lat: 38.04, lng: 114.51 } },
  { id: 'JD-C3', carrier: 'JD-Cold', band: '2-8C', position: { lat: 39.85, lng: 116.45 } },
  { id: 'JD-C9', carrier: 'JD-Cold', band: 'frozen', position: { lat: 40.2, lng: 116.9 } },
  { id: 'SP-12', carrier: 'SinoPharm-Log', band: '2-8C', position: { lat: 39.91, lng: 116.42 } },
];

/** Great-circle distance in km, to 0.1 km. */
function km(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * 6371 * Math.asin(Math.sqrt(h)) * 10) / 10;
}

function position(body: Record<string, unknown>, field: string): Position {
  const p = body[field] as Record<string, unknown> | undefined;
  const ok = (v: unknown, max: number) => typeof v === 'number' && Math.abs(v) <= max;
  if (!p || typeof p !== 'object' || !ok(p.lat, 90) || !ok(p.lng, 180))
    throw new Invalid(field, `${field} must be { lat: -90..90, lng: -180..180 }`);
  return { lat: p.lat as number, lng: p.lng as number };
}

/**
 * One quote per carrier for a job: its nearest vehicle to the pickup that holds the band (else
 * its nearest vehicle, whatever it holds), with the vehicle's band, live position and distance,
 * the carrier's price for the distance and weight, and the ETA (the vehicle's drive to the
 * pickup, then the job). Carriers that cannot hold the band quote too — choosing is the
 * customer's rule, not the carrier system's.
 */
function quotes(
  vehicles: Vehicle[],
  band: Band,
  pickup: Position,
  distanceKm: number,
  weightKg: number,
) {
  return CARRIERS.map((carrier) => {
    const [vehicle, pickupKm] = vehicles
      .filter((v) => v.carrier === carrier.id)
      .map((v) => [v, km(v.position, pickup)] as const)
      .sort((a, b) => Number(b[0].band === band) - Number(a[0].band === band) || a[1] - b[1])[0];
    const amount = carrier.base + distanceKm * carrier.perKm + weightKg * carrier.perKg;
    return {
      carrier: carrier.id,
      band: vehicle.band,
      price: { amount: Math.round(amount * 100) / 100, currency: 'CNY' },
      vehicle: { id: vehicle.id, position: { ...vehicle.position }, distanceKm: pickupKm },
      etaHours: Math.max(1, Math.ceil(((pickupKm + distanceKm) / carrier.kmPerHour) * 10) / 10),
    };
  });
}

/**
 * Carriers: several, each with a price model by distance and weight and vehicles with live
 * positions, each vehicle holding one temperature band. `POST /quotes` answers every carrier's quote;
 * `POST /shipments` books one; `GET /vehicles` lists the fleet, `POST /_test/vehicles/:id`
 * moves a vehicle (tests).
 */
export const createCarrier = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'carrier',
    () => ({ next: 1, vehicles: VEHICLES() }),
    [
      {
        method: 'POST',
        path: '/quotes',
        handle: ({ body }, state) => {
          if (!BANDS.includes(body.band as Band))
            throw new Invalid('band', `band must be one of ${BANDS.join(', ')}`);
          const distanceKm = need.number(body, 'distanceKm');
          const weightKg = need.number(body, 'weightKg');
          const pickup = body.pickup === undefined ? DEPOT : position(body, 'pickup');
          return {
            json: {
              band: body.band,
              pickup,
              quotes: quotes(state.vehicles, body.band as Band, pickup, distanceKm, weightKg),
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/shipments',
        handle: ({ body }, state) => {
          const orderId = need.string(body, 'orderId');
          const carrier = body.carrier === undefined ? undefined : need.string(body, 'carrier');
          if (carrier !== undefined && !CARRIERS.some((c) => c.id === carrier))
            throw new Invalid('carrier', `carrier must be one of ${CARRIERS.map((c) => c.id)}`);
          const vehicleId =
            body.vehicleId === undefined ? undefined : need.string(body, 'vehicleId');
          if (
            vehicleId !== undefined &&
            !state.vehicles.some((v) => v.id === vehicleId && (!carrier || v.carrier === carrier))
          )
            throw new Invalid(
              'vehicleId',
              `no vehicle ${vehicleId} of carrier ${carrier ?? '(any)'}`,
            );
          return {
            status: 201,
            json: {
              orderId,
              ...(carrier && { carrier }),
              ...(vehicleId && { vehicleId }),
              trackingNo: `TRK${String(state.next++).padStart(8, '0')}`,
            },
          };
        },
      },
      {
        method: 'GET',
        path: '/vehicles',
        handle: (_request, state) => ({
          json: { items: state.vehicles },
        }),
      },
      {
        method: 'POST',
        path: '/_test/vehicles/:id',
        handle: ({ params, body }, state) => {
          const vehicle = state.vehicles.find((v) => v.id === params.id);
          if (!vehicle) return { status: 404, json: { error: 'unknown_vehicle', id: params.id } };
          vehicle.position = position(body, 'position');
          return { json: vehicle };
        },
      },
    ],
    knobs,
  );
