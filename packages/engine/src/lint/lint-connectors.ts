import { type Flow, flowActions } from '../flow';
import type { ProblemList } from './problem-list';

/**
 * `call` actions: the connector instance they name must be declared, and the events they fire
 * with the answer should be handled by some transition (or the answer goes nowhere). `notify`
 * channels are connector instances too.
 */
export function lintConnectors(flow: Flow, out: ProblemList): void {
  const instances = flow.connectors ?? {};
  const names = Object.keys(instances);
  const events = new Set(flow.transitions.map((t) => t.event).filter(Boolean));
  for (const [action, path] of flowActions(flow)) {
    if ('notify' in action)
      (action.notify.channels ?? []).forEach((channel, i) => {
        if (!Object.hasOwn(instances, channel))
          out.error(
            `${path}/notify/channels/${i}`,
            'unknown_connector',
            `No connector instance "${channel}" — declare the channel under "connectors" (type wecom, dingtalk, slack or email)`,
          );
      });
    if (!('call' in action)) continue;
    const call = action.call;
    if (!Object.hasOwn(instances, call.connector))
      out.error(
        `${path}/call/connector`,
        'unknown_connector',
        names.length
          ? `No connector instance "${call.connector}" — declare it under "connectors" or use one of: ${names.join(', ')}`
          : `No connector instance "${call.connector}" — declare it under "connectors" ({ "type": "http", "settings": … })`,
      );
    for (const key of ['onSuccess', 'onFailure'] as const) {
      const event = call[key];
      if (event !== undefined && !events.has(event))
        out.warning(
          `${path}/call/${key}`,
          'unhandled_event',
          `No transition handles the event "${event}" — the ${key === 'onSuccess' ? 'answer' : 'failure'} will change nothing; add a transition with "event": "${event}"`,
        );
    }
  }
}
