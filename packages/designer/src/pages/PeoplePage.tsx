import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { messageOf } from './integrations/message-of';
import { ConfirmDialog } from '../components/WorkbenchDialogs';

interface Person {
  id: string;
  name: string;
  email: string;
  roles: string[];
  disabled: boolean;
}

interface ApiKey {
  id: string;
  name: string;
  keyPrefix: string;
  roles: string[];
  createdBy?: string;
  revokedAt?: string;
}

const roleList = (text: string) =>
  text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);

/** People (admin only): add, change roles, disable or enable, delete; and the API keys. */
export function PeoplePage() {
  const { t } = useTranslation();
  const [people, setPeople] = useState<Person[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [deleting, setDeleting] = useState<Person>();
  const load = useCallback(
    () =>
      api<{ items: Person[] }>('GET', '/users')
        .then((r) => setPeople(r.items))
        .catch((e) => setError(messageOf(e))),
    [],
  );
  useEffect(() => void load(), [load]);

  /** Runs a change, then reloads; a refusal (last admin, bad roles) is shown as it came. */
  async function change(run: () => Promise<unknown>) {
    try {
      await run();
      setError(undefined);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function remove(person: Person) {
    setDeleting(undefined);
    await change(async () => {
      const done = await api<{ releasedTasks: number[]; revokedKeys: string[] }>(
        'DELETE',
        `/users/${person.id}`,
      );
      setNotice(
        t('people.deleted', {
          name: person.name,
          tasks: done.releasedTasks.length,
          keys: done.revokedKeys.length,
        }),
      );
    });
  }

  return (
    <main className="page people">
      <h1>{t('people.title')}</h1>
      <p className="muted">{t('people.intro')}</p>
      {error && <p className="error">{error}</p>}
      {notice && <p className="muted">{notice}</p>}
      <table data-testid="people">
        <thead>
          <tr>
            <th>{t('field.name')}</th>
            <th>{t('field.email')}</th>
            <th>{t('people.roles')}</th>
            <th>{t('people.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <PersonRow
              key={p.id}
              person={p}
              onRoles={(roles) => change(() => api('PATCH', `/users/${p.id}`, { roles }))}
              onDisabled={(disabled) => change(() => api('PATCH', `/users/${p.id}`, { disabled }))}
              onDelete={() => setDeleting(p)}
            />
          ))}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          title={t('workbench.deleteTitle', { name: deleting.name })}
          message={t('people.confirmDelete', { name: deleting.name })}
          confirmLabel={t('people.delete')}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        />
      )}
      <AddPerson onAdd={(body) => change(() => api('POST', '/users', body))} />
      <Keys people={people} />
    </main>
  );
}

function PersonRow(props: {
  person: Person;
  onRoles(roles: string[]): void;
  onDisabled(disabled: boolean): void;
  onDelete(): void;
}) {
  const { t } = useTranslation();
  const { person } = props;
  const [roles, setRoles] = useState(person.roles.join(', '));
  useEffect(() => setRoles(person.roles.join(', ')), [person.roles]);
  return (
    <tr data-testid={`person-${person.email}`}>
      <td>{person.name}</td>
      <td>{person.email}</td>
      <td>
        <input
          aria-label={t('people.roles')}
          name="roles"
          value={roles}
          onChange={(e) => setRoles(e.target.value)}
        />
        <button className="ghost" onClick={() => props.onRoles(roleList(roles))}>
          {t('people.save')}
        </button>
      </td>
      <td>{person.disabled ? t('people.disabled') : t('people.enabled')}</td>
      <td>
        <button className="ghost" onClick={() => props.onDisabled(!person.disabled)}>
          {person.disabled ? t('people.enable') : t('people.disable')}
        </button>
        <button className="ghost" onClick={props.onDelete}>
          {t('people.delete')}
        </button>
      </td>
    </tr>
  );
}

function AddPerson({
  onAdd,
}: {
  onAdd(body: { name: string; email: string; password: string; roles: string[] }): Promise<void>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState('viewer');
  async function submit(event: FormEvent) {
    event.preventDefault();
    await onAdd({ name, email, password, roles: roleList(roles) });
    setName('');
    setEmail('');
    setPassword('');
  }
  return (
    <form className="card" onSubmit={submit}>
      <h2>{t('people.add')}</h2>
      <label>
        {t('field.name')}
        <input name="person-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        {t('field.email')}
        <input
          name="person-email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
      </label>
      <label>
        {t('field.password')}
        <input
          name="person-password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      <label>
        {t('people.roles')}
        <input name="person-roles" value={roles} onChange={(e) => setRoles(e.target.value)} />
      </label>
      <button type="submit">{t('people.create')}</button>
    </form>
  );
}

/** API keys: every key, who made it, revoke; make a new one (shown once). */
function Keys({ people }: { people: Person[] }) {
  const { t } = useTranslation();
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [name, setName] = useState('');
  const [roles, setRoles] = useState('viewer');
  const [made, setMade] = useState<string>();
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api<{ items: ApiKey[] }>('GET', '/keys')
        .then((r) => setKeys(r.items))
        .catch((e) => setError(messageOf(e))),
    [],
  );
  useEffect(() => void load(), [load]);
  const who = (id?: string) => people.find((p) => p.id === id)?.name ?? id ?? '—';

  async function run(action: () => Promise<void>) {
    try {
      await action();
      setError(undefined);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const answer = await api<{ key: string }>('POST', '/keys', { name, roles: roleList(roles) });
      setMade(answer.key);
      setName('');
    });
  }

  return (
    <section>
      <h2>{t('people.keys')}</h2>
      <p className="muted">{t('people.keysIntro')}</p>
      {error && <p className="error">{error}</p>}
      <ul className="flow-list" data-testid="keys">
        {keys.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong>{' '}
            <span className="muted">
              ordo_{k.keyPrefix}… · {k.roles.join(', ')} ·{' '}
              {t('people.createdBy', { who: who(k.createdBy) })}
            </span>{' '}
            {k.revokedAt ? (
              <span className="muted">{t('people.revoked')}</span>
            ) : (
              <button
                className="ghost"
                onClick={() => void run(() => api('DELETE', `/keys/${k.id}`))}
              >
                {t('people.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {made && (
        <p className="card" data-testid="new-key">
          {t('people.keyShown')} <code>{made}</code>
        </p>
      )}
      <form className="card" onSubmit={create}>
        <label>
          {t('people.keyName')}
          <input name="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {t('people.roles')}
          <input name="key-roles" value={roles} onChange={(e) => setRoles(e.target.value)} />
        </label>
        <button type="submit">{t('people.newKey')}</button>
      </form>
    </section>
  );
}
