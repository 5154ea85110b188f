import { useEffect, useState } from 'react';
import { api, currentUser } from '../../api';

/**
 * Names for the person ids a data set records: the signed-in person's own, and everyone's for
 * an admin (only admins may list people); any other id is shown as it is.
 */
export function useWho(): (id: string) => string {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    void currentUser()
      .then(async (me) => {
        if (me.name) setNames((known) => ({ ...known, [me.id]: me.name! }));
        if (!me.roles.includes('admin')) return;
        const people = await api<{ items: { id: string; name: string }[] }>('GET', '/users');
        setNames((known) => ({
          ...Object.fromEntries(people.items.map((p) => [p.id, p.name])),
          ...known,
        }));
      })
      .catch(() => undefined);
  }, []);
  return (id) => names[id] ?? id;
}
