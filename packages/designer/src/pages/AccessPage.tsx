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

  async function submit(event: FormEvent) {
    event.preventDefault();
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
    }
  }

  return (
    <div className="access">
      <form className="card" onSubmit={submit}>
        <h1>{t(setup ? 'setup.title' : 'signIn.title')}</h1>
        {setup && <p className="muted">{t('setup.intro')}</p>}
        {setup && (
          <label>
            {t('field.name')}
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
        )}
        <label>
          {t('field.email')}
          <input
            name="email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <label>
          {t('field.password')}
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && <p className="error">{error}</p>}
        <button type="submit">{t(setup ? 'setup.create' : 'signIn.submit')}</button>
      </form>
    </div>
  );
}
