import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, token } from './api';
import { toggleLanguage } from './i18n';
import { AccessPage } from './pages/AccessPage';
import { FlowEditor } from './pages/FlowEditor';
import { FlowList } from './pages/FlowList';
import { ImportPage } from './pages/ImportPage';
import { IntegrationsPage } from './pages/IntegrationsPage';
import { OrdersPage } from './pages/OrdersPage';
import { TasksPage } from './pages/TasksPage';
import { TemplatesPage } from './pages/TemplatesPage';

// The analytics (ECharts) load when first opened.
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage'));

/**
 * `#/flows/<key>` opens a flow, `#/analytics/<key>/<view>` its analytics, `#/templates` the
 * template gallery, `#/integrations` the integrations; anything else is the flow list.
 */
function useRoute(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash.replace(/^#/, '');
}

/** The pages of the top bar, in order (each `#/<name>`, its title `app.<name>`). */
const PAGES = ['orders', 'tasks', 'templates', 'import', 'integrations'] as const;

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(Boolean(token.get()));
  const [setupNeeded, setSetupNeeded] = useState<boolean | undefined>();

  useEffect(() => {
    void api<{ needed: boolean }>('GET', '/auth/setup').then((r) => setSetupNeeded(r.needed));
  }, [signedIn]);

  if (setupNeeded === undefined) return null;
  if (setupNeeded || !signedIn)
    return <AccessPage setup={setupNeeded} onSignedIn={() => setSignedIn(true)} />;
  const flowKey = /^\/flows\/([a-z0-9_-]+)/.exec(route)?.[1];
  const analytics = /^\/analytics\/([a-z0-9_-]+)(?:\/([a-z]+))?/.exec(route);
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          {t('app.title')}
        </a>
        {PAGES.map((name) => (
          <a key={name} className="ghost" href={`#/${name}`}>
            {t(`app.${name}`)}
          </a>
        ))}
        <span className="spacer" />
        <button className="ghost" onClick={toggleLanguage}>
          {t('app.language')}
        </button>
        <button className="ghost" onClick={() => (token.set(null), setSignedIn(false))}>
          {t('app.signOut')}
        </button>
      </header>
      {flowKey ? (
        <FlowEditor key={flowKey} flowKey={flowKey} />
      ) : analytics ? (
        <Suspense fallback={null}>
          <AnalyticsPage key={analytics[1]} flowKey={analytics[1]} view={analytics[2]} />
        </Suspense>
      ) : route.startsWith('/integrations') ? (
        <IntegrationsPage />
      ) : route.startsWith('/templates') ? (
        <TemplatesPage />
      ) : route.startsWith('/import') ? (
        <ImportPage key={route} />
      ) : route.startsWith('/tasks') ? (
        <TasksPage />
      ) : route.startsWith('/orders') ? (
        <OrdersPage key={route} />
      ) : (
        <FlowList />
      )}
    </div>
  );
}
