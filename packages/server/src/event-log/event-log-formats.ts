import type { Field, Flow } from '@ordo/engine';
import { csvCell } from '../analytics/analytics-csv';
import type { LoggedOrder } from './event-log-rows';

/** The columns of Ordo's CSV event log; `reference`, `state` and `at` are required on import. */
export const CSV_COLUMNS = [
  'reference',
  'state',
  'event',
  'at',
  'actor',
  'customer',
  'channel',
  'by',
] as const;

type Pages = AsyncIterable<LoggedOrder[]>;

/** One row per state entry, in time order per order. */
export async function* csvLog(pages: Pages): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(',') + '\r\n';
  for await (const page of pages) {
    let chunk = '';
    for (const order of page)
      for (const e of order.entries)
        chunk += CSV_COLUMNS.map((c) => csvCell(e[c])).join(',') + '\r\n';
    yield chunk;
  }
}

const xml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
const attr = (type: 'string' | 'date', key: string, value: string) =>
  `<${type} key="${xml(key)}" value="${xml(value)}"/>`;

/**
 * IEEE 1849 XES: a trace per order (`concept:name` = reference), an event per state entry
 * (`concept:name` = the state, `time:timestamp`, `org:resource`, `lifecycle:transition`), with the
 * standard extensions declared so pm4py, ProM, Disco and Celonis read it as is.
 */
export async function* xesLog(flow: Flow, pages: Pages): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace">${attr('string', 'concept:name', '__INVALID__')}</global>
  <global scope="event">${attr('string', 'concept:name', '__INVALID__')}${attr('date', 'time:timestamp', '1970-01-01T00:00:00.000Z')}${attr('string', 'lifecycle:transition', 'complete')}</global>
  <classifier name="Activity" keys="concept:name"/>
  ${attr('string', 'concept:name', flow.key)}
`;
  for await (const page of pages) {
    let chunk = '';
    for (const order of page) {
      chunk += `  <trace>${attr('string', 'concept:name', order.reference)}${attr('string', 'channel', order.channel)}`;
      if (order.customer !== null) chunk += attr('string', 'customer', order.customer);
      chunk += '\n';
      for (const e of order.entries) {
        chunk += `    <event>${attr('string', 'concept:name', e.state)}${attr('date', 'time:timestamp', e.at)}${attr('string', 'org:resource', e.actor)}${attr('string', 'lifecycle:transition', 'complete')}`;
        if (e.event !== null) chunk += attr('string', 'ordo:event', e.event);
        chunk += `${attr('string', 'ordo:by', e.by)}</event>\n`;
      }
      chunk += '  </trace>\n';
    }
    yield chunk;
  }
  yield '</log>\n';
}

/** Array fields of objects (order lines): each element is an object of its own in OCEL. */
const itemFields = (flow: Flow) =>
  flow.fields.filter(
    (f): f is Field & { items: Field[] } => f.type === 'array' && Array.isArray(f.items),
  );
const scalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const ocelType = (f: Field) =>
  f.type === 'number' || f.type === 'integer' || f.type === 'money'
    ? 'float'
    : f.type === 'boolean'
      ? 'boolean'
      : f.type === 'date' || f.type === 'datetime'
        ? 'time'
        : 'string';
const EPOCH = '1970-01-01T00:00:00Z';
const objectId = (o: { reference: string }) => `order:${o.reference}`;

/**
 * OCEL 2.0 JSON: object types `order` and one per list field (its lines), event types one per
 * state, objects with their attributes and relationships (an order contains its lines), and an
 * event per state entry related to its order (and the order's lines). Streamed: the objects,
 * then the events, in two passes over the orders.
 */
export async function* ocelLog(flow: Flow, pages: () => Pages): AsyncGenerator<string> {
  const lists = itemFields(flow);
  const objectTypes = [
    {
      name: 'order',
      attributes: [
        { name: 'customer', type: 'string' },
        { name: 'channel', type: 'string' },
        { name: 'state', type: 'string' },
      ],
    },
    ...lists.map((f) => ({
      name: f.key,
      attributes: f.items
        .filter((i) => i.type !== 'array' && i.type !== 'object')
        .map((i) => ({
          name: i.key,
          type: ocelType(i),
        })),
    })),
  ];
  const eventTypes = flow.states.map((s) => ({
    name: s.id,
    attributes: [
      { name: 'event', type: 'string' },
      { name: 'resource', type: 'string' },
      { name: 'by', type: 'string' },
    ],
  }));
  yield `{"objectTypes":${JSON.stringify(objectTypes)},"eventTypes":${JSON.stringify(eventTypes)},"objects":[`;
  const lineIds = (o: LoggedOrder) =>
    lists.flatMap((f) => {
      const items = o.data[f.key];
      return Array.isArray(items) ? items.map((_, i) => `${f.key}:${o.reference}:${i}`) : [];
    });
  let first = true;
  for await (const page of pages()) {
    const objects: unknown[] = [];
    for (const o of page) {
      objects.push({
        id: objectId(o),
        type: 'order',
        attributes: [
          ...(o.customer !== null ? [{ name: 'customer', time: EPOCH, value: o.customer }] : []),
          { name: 'channel', time: EPOCH, value: o.channel },
          { name: 'state', time: EPOCH, value: o.state },
        ],
        relationships: lineIds(o).map((id) => ({ objectId: id, qualifier: 'contains' })),
      });
      for (const f of lists) {
        const items = o.data[f.key];
        if (!Array.isArray(items)) continue;
        items.forEach((item, i) =>
          objects.push({
            id: `${f.key}:${o.reference}:${i}`,
            type: f.key,
            attributes: Object.entries((item ?? {}) as Record<string, unknown>)
              .filter(([, v]) => scalar(v))
              .map(([name, value]) => ({ name, time: EPOCH, value })),
            relationships: [{ objectId: objectId(o), qualifier: 'part of' }],
          }),
        );
      }
    }
    if (objects.length) {
      yield (first ? '' : ',') + objects.map((x) => JSON.stringify(x)).join(',');
      first = false;
    }
  }
  yield '],"events":[';
  first = true;
  let n = 0;
  for await (const page of pages()) {
    const events: string[] = [];
    for (const o of page) {
      const related = [
        { objectId: objectId(o), qualifier: 'order' },
        ...lineIds(o).map((id) => ({ objectId: id, qualifier: 'line' })),
      ];
      for (const e of o.entries)
        events.push(
          JSON.stringify({
            id: `e${++n}`,
            type: e.state,
            time: e.at,
            attributes: [
              ...(e.event !== null ? [{ name: 'event', value: e.event }] : []),
              { name: 'resource', value: e.actor },
              { name: 'by', value: e.by },
            ],
            relationships: related,
          }),
        );
    }
    if (events.length) {
      yield (first ? '' : ',') + events.join(',');
      first = false;
    }
  }
  yield ']}\n';
}
