import { Alert, Button, Checkbox, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow, Label } from '@ordo/engine';
import { api } from '../api';
import { FlowPreview } from '../components/FlowPreview';
import { DeployForm } from '../components/templates/DeployForm';
import { labelIn } from '../model/flow-graph';
import { messageOf } from './integrations/message-of';

interface TemplateSummary {
  id: string;
  name: Label;
  summary: Label;
  industry?: Label;
  flow: Flow;
  samples: number;
  checklist: Label[];
  credentials: { name: string; fields: string[] }[];
}

interface Deployed {
  flow: string;
  version: number;
  published: boolean;
  samples: { created: number; existing: number; refused: unknown[] };
  credentials: { placeholders: string[]; demo?: string[]; given?: string[] };
  datasets?: { created: string[]; existing: string[] };
  checklist: Label[];
}

/** Where a deploy leaves its checklist for the flow editor to show. */
export const checklistKey = (flow: string) => `ordo.checklist.${flow}`;

/** The template gallery: each template with its canvas preview, deployed in one click. */
export function TemplatesPage() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<TemplateSummary[]>([]);
  const [samples, setSamples] = useState(true);
  const [deploying, setDeploying] = useState<TemplateSummary>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ items: TemplateSummary[] }>('GET', '/templates')
      .then((r) => setItems(r.items))
      .catch((e) => setError(messageOf(e)));
  }, []);

  function deployed(done: Deployed) {
    sessionStorage.setItem(checklistKey(done.flow), JSON.stringify(done));
    window.location.hash = `#/flows/${done.flow}`;
  }

  const text = (label: Label | undefined) => labelIn(label, i18n.language, '');
  return (
    <main className="page templates">
      <Typography.Title level={1}>{t('templates.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('templates.intro')}</Typography.Paragraph>
      <Checkbox
        className="load-samples"
        checked={samples}
        onChange={(e) => setSamples(e.target.checked)}
      >
        {t('templates.loadSamples')}
      </Checkbox>
      {error && <Alert className="error" type="error" showIcon title={error} />}
      <ul className="gallery" data-testid="templates">
        {items.map((tpl) => (
          <li key={tpl.id} className="card">
            <h2>{text(tpl.name)}</h2>
            {tpl.industry && (
              <span>
                <Tag color="blue">{text(tpl.industry)}</Tag>
              </span>
            )}
            <FlowPreview flow={tpl.flow} locale={i18n.language} />
            <p>{text(tpl.summary)}</p>
            <p className="muted">
              {t('templates.facts', {
                states: tpl.flow.states.length,
                transitions: tpl.flow.transitions.length,
                samples: tpl.samples,
              })}
            </p>
            <Button type="primary" onClick={() => setDeploying(tpl)}>
              {t('templates.deploy')}
            </Button>
          </li>
        ))}
      </ul>
      {deploying && (
        <DeployForm
          template={{ ...deploying, title: text(deploying.name) }}
          loadSamples={samples}
          onDeployed={(done) => deployed(done as Deployed)}
          onCancel={() => setDeploying(undefined)}
        />
      )}
    </main>
  );
}

/** The checklist a deploy left for this flow, shown until dismissed. */
export function DeployChecklist({ flow }: { flow: string }) {
  const { t, i18n } = useTranslation();
  const [deployed, setDeployed] = useState<Deployed | undefined>(() => {
    const saved = sessionStorage.getItem(checklistKey(flow));
    return saved ? (JSON.parse(saved) as Deployed) : undefined;
  });
  if (!deployed) return null;
  const dismiss = () => {
    sessionStorage.removeItem(checklistKey(flow));
    setDeployed(undefined);
  };
  return (
    <aside className="card checklist" data-testid="deploy-checklist">
      <h3>
        {deployed.published
          ? t('templates.deployed', { flow, version: deployed.version })
          : t('templates.alreadyDeployed', { flow, version: deployed.version })}
      </h3>
      <p className="muted">
        {t('templates.samplesLoaded', {
          created: deployed.samples.created,
          existing: deployed.samples.existing,
        })}
        {deployed.credentials.placeholders.length > 0 &&
          ` ${t('templates.placeholders', { names: deployed.credentials.placeholders.join(', ') })}`}
        {(deployed.credentials.demo?.length ?? 0) > 0 &&
          ` ${t('templates.demoCredentials', { names: deployed.credentials.demo!.join(', ') })}`}
        {(deployed.credentials.given?.length ?? 0) > 0 &&
          ` ${t('templates.given', { names: deployed.credentials.given!.join(', ') })}`}
        {(deployed.datasets?.created.length ?? 0) > 0 &&
          ` ${t('templates.datasetsCreated', { names: deployed.datasets!.created.join(', ') })}`}
      </p>
      <h4>{t('templates.checklist')}</h4>
      <ol>
        {deployed.checklist.map((item, i) => (
          <li key={i}>{labelIn(item, i18n.language, '')}</li>
        ))}
      </ol>
      <Button onClick={dismiss}>{t('templates.dismiss')}</Button>
    </aside>
  );
}
