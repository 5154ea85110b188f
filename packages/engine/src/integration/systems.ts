import type { Flow, StatusMapping } from '../flow';

/** What an external system's status code means here (its state and event), if it is mapped. */
export function inboundStatus(flow: Flow, system: string, code: string): StatusMapping | undefined {
  return flow.systems?.[system]?.statuses.find((s) => s.code === code);
}

/** The code an external system uses for one of our states: the first mapping of that state. */
export function statusCode(flow: Flow, system: string, state: string): string | undefined {
  return flow.systems?.[system]?.statuses.find((s) => s.state === state)?.code;
}
