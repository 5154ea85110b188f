import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Someone } from '../model/order-names';

/** The directory, asked once per page load: ids become names on every screen. */
let directory: Promise<Map<string, Someone>> | undefined;
function askDirectory(fresh = false): Promise<Map<string, Someone>> {
  if (fresh) directory = undefined;
  return (directory ??= api<{ items: Someone[] }>('GET', '/people')
    .then((r) => new Map(r.items.map((p) => [p.id, p])))
    .catch(() => ((directory = undefined), new Map())));
}

/**
 * Everyone who acts, by id (empty until the directory arrives). Asked once per page load;
 * `fresh` asks again whenever it changes (a dialog that picks a person opens with who is here now).
 */
export function usePeople(fresh?: unknown): ReadonlyMap<string, Someone> {
  const [people, setPeople] = useState<ReadonlyMap<string, Someone>>(new Map());
  useEffect(() => void askDirectory(fresh !== undefined).then(setPeople), [fresh]);
  return people;
}

/** What an order list row needs to be named. */
export interface NamedOrder {
  id: string;
  flow: string;
  externalRef: string | null;
  data: Record<string, unknown>;
}

/** The orders named by ids (one request per 200), for lists of tasks, effects and exceptions. */
export function useOrders(
  ids: readonly (string | null | undefined)[],
): ReadonlyMap<string, NamedOrder> {
  const [orders, setOrders] = useState<ReadonlyMap<string, NamedOrder>>(new Map());
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort().join(',');
  useEffect(() => {
    if (!wanted) return;
    const list = wanted.split(',');
    const pages = [];
    for (let i = 0; i < list.length; i += 200) pages.push(list.slice(i, i + 200));
    let live = true;
    void Promise.all(
      pages.map((page) =>
        api<{ items: NamedOrder[] }>('GET', `/orders?ids=${page.join(',')}&limit=200`),
      ),
    )
      .then((answers) => {
        if (live) setOrders(new Map(answers.flatMap((a) => a.items).map((o) => [o.id, o])));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [wanted]);
  return orders;
}
