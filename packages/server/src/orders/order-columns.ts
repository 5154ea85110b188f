import { getPath, type Order } from '@ordo/engine';
import type { OrderColumns } from './order-types';

/**
 * The customer an order is for: the value at the flow's `customer` path when it declares one,
 * else by convention `data.customer` when it is a string, `data.customer.id`, or `data.customerId`.
 */
export function customerOf(data: Record<string, unknown>, path?: string): string | null {
  if (path !== undefined) {
    const value = getPath(data, path);
    return typeof value === 'string' || typeof value === 'number'
      ? String(value).slice(0, 200)
      : null;
  }
  const c = data.customer as unknown;
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string')
    return (c as { id: string }).id;
  return typeof data.customerId === 'string' ? data.customerId : null;
}

function leaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
}

/** The list columns of an order: customer, channel, reference and the text searched by `q`. */
export function columnsOf(
  order: Order,
  channel: string,
  externalRef: string | null,
  customerPath?: string,
): OrderColumns {
  const customer = customerOf(order.data, customerPath);
  const words = [order.id, externalRef ?? '', customer ?? ''];
  leaves(order.data, words);
  return {
    customer,
    channel,
    externalRef,
    searchText: words.join(' ').toLowerCase().slice(0, 4000),
  };
}
