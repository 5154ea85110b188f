import { Alert, Button, Card, Input, Typography } from 'antd';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, token } from '../api';

/** First run: create the owner account; afterwards: sign in. */
export function AccessPage({ setup, onSignedIn }: { setup: boolean; onSignedIn: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await api<{ token: string }>(
        'POST',
        setup ? '/auth/setup' : '/auth/login',
        setup ? { email, password, name } : { email, password },
      );
      token.set(answer.token);
      onSignedIn();
    } catch (e) {
      const problem = e instanceof ApiError ? e.problem : undefined;
      setError(
        problem?.errors?.map((x) => `${x.path.slice(1)}: ${x.message}`).join('; ') ||
          (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="access">
      <div className="access-brand">
        <span className="brand-mark" aria-hidden>
          O
        </span>
        {t('app.title')}
      </div>
      <Card className="access-card">
        {/* A native form: the browser's required/email checks and Enter to submit. */}
        <form className="form" onSubmit={submit}>
          <Typography.Title level={3}>{t(setup ? 'setup.title' : 'signIn.title')}</Typography.Title>
          {setup && <Typography.Text type="secondary">{t('setup.intro')}</Typography.Text>}
          {setup && (
            <label>
              {t('field.name')}
              <Input
                size="large"
                name="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
              />
            </label>
          )}
          <label>
            {t('field.email')}
            <Input
              size="large"
              name="email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          </label>
          <label>
            {t('field.password')}
            <Input.Password
              size="large"
              name="password"
              autoComplete={setup ? 'new-password' : 'current-password'}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          {error && <Alert type="error" showIcon title={error} />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {t(setup ? 'setup.create' : 'signIn.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
