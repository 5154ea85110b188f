import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, currentUser, token } from './api';
import { toggleLanguage } from './i18n';
import { boardRoute } from './model/board';
import { AccessPage } from './pages/AccessPage';
import { AuditPage } from './pages/AuditPage';
import { BoardPage } from './pages/BoardPage';
import { DataSetsPage } from './pages/DataSetsPage';
import { FlowEditor } from './pages/FlowEditor';
import { FlowList } from './pages/FlowList';
import { ImportPage } from './pages/ImportPage';
import { IntakePage } from './pages/IntakePage';
import { IntegrationsPage } from './pages/IntegrationsPage';
import { OrdersPage } from './pages/OrdersPage';
import { PeoplePage } from './pages/PeoplePage';
import { TasksPage } from './pages/TasksPage';
import { TemplatesPage } from './pages/TemplatesPage';

// The analytics (ECharts) load when first opened.
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage'));

/**
 * `#/flows/<key>` opens a flow, `#/analytics/<key>/<view>` its analytics, `#/templates` the
 * template gallery, `#/intake[?message=<id>]` the intake channels and messages, `#/datasets[/<key>]` the data sets, `#/integrations` the integrations, `#/people` and `#/audit` (admins) people
 * and the audit log, `#/board/<key>[?states=a,b&lang=zh-CN]` a flow's shop-floor board (full
 * screen, without the top bar); anything else is the flow list.
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
const PAGES = [
  'orders',
  'tasks',
  'templates',
  'import',
  'intake',
  'datasets',
  'integrations',
] as const;
/** The pages only admins see (the server refuses their endpoints to anyone else). */
const ADMIN_PAGES = ['people', 'audit'] as const;

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(Boolean(token.get()));
  const [setupNeeded, setSetupNeeded] = useState<boolean | undefined>();
  const [admin, setAdmin] = useState(false);

  useEffect(() => {
    void api<{ needed: boolean }>('GET', '/auth/setup').then((r) => setSetupNeeded(r.needed));
  }, [signedIn]);
  useEffect(() => {
    if (signedIn)
      void currentUser()
        .then((me) => setAdmin(me.roles.includes('admin')))
        .catch(() => setAdmin(false));
  }, [signedIn]);

  if (setupNeeded === undefined) return null;
  if (setupNeeded || !signedIn)
    return <AccessPage setup={setupNeeded} onSignedIn={() => setSignedIn(true)} />;
  const board = boardRoute(route);
  if (board) return <BoardPage key={board.flow} route={board} />;
  const flowKey = /^\/flows\/([a-z0-9_-]+)/.exec(route)?.[1];
  const analytics = /^\/analytics\/([a-z0-9_-]+)(?:\/([a-z]+))?/.exec(route);
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          {t('app.title')}
        </a>
        {[...PAGES, ...(admin ? ADMIN_PAGES : [])].map((name) => (
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
      ) : admin && route.startsWith('/people') ? (
        <PeoplePage />
      ) : admin && route.startsWith('/audit') ? (
        <AuditPage />
      ) : route.startsWith('/datasets') ? (
        <DataSetsPage route={route} />
      ) : route.startsWith('/integrations') ? (
        <IntegrationsPage />
      ) : route.startsWith('/templates') ? (
        <TemplatesPage />
      ) : route.startsWith('/intake') ? (
        <IntakePage route={route} />
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
