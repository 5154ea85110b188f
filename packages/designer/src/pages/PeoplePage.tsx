import { Alert, Button, Card, Input, Space, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ListTable } from '../components/ListTable';
import { type FormEvent, type HTMLAttributes, useCallback, useEffect, useState } from 'react';
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

  const columns: TableProps<Person>['columns'] = [
    { key: 'name', title: t('field.name'), dataIndex: 'name', width: 160 },
    { key: 'email', title: t('field.email'), dataIndex: 'email' },
    {
      key: 'roles',
      title: t('people.roles'),
      width: 340,
      render: (_, p) => (
        <RolesCell
          roles={p.roles}
          onSave={(roles) => change(() => api('PATCH', `/users/${p.id}`, { roles }))}
        />
      ),
    },
    {
      key: 'state',
      title: t('people.state'),
      width: 110,
      render: (_, p) =>
        p.disabled ? (
          <Tag>{t('people.disabled')}</Tag>
        ) : (
          <Tag color="green">{t('people.enabled')}</Tag>
        ),
    },
    {
      key: 'actions',
      width: 190,
      render: (_, p) => (
        <Space size={6}>
          <Button
            size="small"
            onClick={() => change(() => api('PATCH', `/users/${p.id}`, { disabled: !p.disabled }))}
          >
            {p.disabled ? t('people.enable') : t('people.disable')}
          </Button>
          <Button size="small" danger onClick={() => setDeleting(p)}>
            {t('people.delete')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <main className="page people">
      <Typography.Title level={1}>{t('people.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('people.intro')}</Typography.Paragraph>
      {error && <Alert className="error" type="error" showIcon title={error} />}
      {notice && <Alert type="success" showIcon title={notice} />}
      <ListTable<Person>
        data-testid="people"
        columns={columns}
        dataSource={people}
        onRow={(p) => ({ 'data-testid': `person-${p.email}` }) as HTMLAttributes<HTMLElement>}
      />
      {deleting && (
        <ConfirmDialog
          title={t('workbench.deleteTitle', { name: deleting.name })}
          message={t('people.confirmDelete', { name: deleting.name })}
          confirmLabel={t('people.delete')}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        />
      )}
      <div className="people-cards">
        <AddPerson onAdd={(body) => change(() => api('POST', '/users', body))} />
        <Keys people={people} />
      </div>
    </main>
  );
}

/** A person's roles, edited as a comma-separated list and saved with one click. */
function RolesCell(props: { roles: string[]; onSave(roles: string[]): void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState(props.roles.join(', '));
  useEffect(() => setRoles(props.roles.join(', ')), [props.roles]);
  return (
    <Space.Compact block>
      <Input
        aria-label={t('people.roles')}
        name="roles"
        value={roles}
        onChange={(e) => setRoles(e.target.value)}
      />
      <Button onClick={() => props.onSave(roleList(roles))}>{t('people.save')}</Button>
    </Space.Compact>
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
    <Card title={t('people.add')}>
      <form className="form" onSubmit={submit}>
        <label>
          {t('field.name')}
          <Input
            name="person-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </label>
        <label>
          {t('field.email')}
          <Input
            name="person-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <label>
          {t('field.password')}
          <Input.Password
            name="person-password"
            autoComplete="new-password"
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <label>
          {t('people.roles')}
          <Input name="person-roles" value={roles} onChange={(e) => setRoles(e.target.value)} />
        </label>
        <Button type="primary" htmlType="submit">
          {t('people.create')}
        </Button>
      </form>
    </Card>
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
    <Card title={t('people.keys')}>
      <Typography.Paragraph type="secondary">{t('people.keysIntro')}</Typography.Paragraph>
      {error && <Alert className="error" type="error" showIcon title={error} />}
      <ul className="key-list" data-testid="keys">
        {keys.map((k) => (
          <li key={k.id}>
            <span>
              <strong>{k.name}</strong>{' '}
              <span className="muted">
                ordo_{k.keyPrefix}… · {k.roles.join(', ')} ·{' '}
                {t('people.createdBy', { who: who(k.createdBy) })}
              </span>
            </span>
            {k.revokedAt ? (
              <Tag>{t('people.revoked')}</Tag>
            ) : (
              <Button
                size="small"
                danger
                onClick={() => void run(() => api('DELETE', `/keys/${k.id}`))}
              >
                {t('people.revoke')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {made && (
        <Alert
          type="warning"
          showIcon
          data-testid="new-key"
          title={
            <>
              {t('people.keyShown')} <code>{made}</code>
            </>
          }
        />
      )}
      <form className="form key-form" onSubmit={create}>
        <label>
          {t('people.keyName')}
          <Input name="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {t('people.roles')}
          <Input name="key-roles" value={roles} onChange={(e) => setRoles(e.target.value)} />
        </label>
        <Button type="primary" htmlType="submit">
          {t('people.newKey')}
        </Button>
      </form>
    </Card>
  );
}
