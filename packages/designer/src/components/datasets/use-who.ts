import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
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

/** "Dec 6, 2026, 9:19 PM by Li Na": when a data set or a version was made, and by whom. */
export function useByWhom(): (at: string, by: string) => string {
  const { t, i18n } = useTranslation();
  const who = useWho();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (at, by) => t('datasets.byWhom', { when: date.format(new Date(at)), who: who(by) });
}
