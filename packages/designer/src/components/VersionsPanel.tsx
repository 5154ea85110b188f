import type { Flow } from '@ordo/engine';
import { Button } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actorName } from '../model/order-names';
import { usePeople } from './use-names';
import { api } from '../api';
import { DIFF_SECTIONS, diffFlows } from '../model/flow-diff';
import { MigrationPanel } from './MigrationPanel';
import { ReplayPanel } from './ReplayPanel';
import { SelectField } from './TextField';

// Monaco is large: the JSON diff loads when it is first shown.
const JsonDiff = lazy(() => import('./JsonDiff'));

interface VersionInfo {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
  note: string | null;
}

const pretty = (doc: unknown) => {
  const { layout: _layout, version: _version, ...rest } = doc as Record<string, unknown>;
  return JSON.stringify(rest, null, 2);
};

/** The published versions, and what the draft changes against any of them. */
export function VersionsPanel({ flowKey, doc }: { flowKey: string; doc: Flow }) {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [chosen, setChosen] = useState<number>();
  const [base, setBase] = useState<Flow>();
  /** What the chosen version is compared with: the draft, or another published version. */
  const [against, setAgainst] = useState<'draft' | number>('draft');
  const [other, setOther] = useState<Flow>();
  const [showJson, setShowJson] = useState(false);

  useEffect(() => {
    void api<{ versions: VersionInfo[] }>('GET', `/flows/${flowKey}`).then((view) => {
      setVersions([...view.versions].sort((a, b) => b.version - a.version));
      if (view.versions.length) setChosen(Math.max(...view.versions.map((v) => v.version)));
    });
  }, [flowKey]);
  useEffect(() => {
    if (chosen === undefined) return;
    void api<{ document: Flow }>('GET', `/flows/${flowKey}/versions/${chosen}`).then((v) =>
      setBase(v.document),
    );
  }, [flowKey, chosen]);

  useEffect(() => {
    if (against === 'draft') return setOther(undefined);
    void api<{ document: Flow }>('GET', `/flows/${flowKey}/versions/${against}`).then((v) =>
      setOther(v.document),
    );
  }, [flowKey, against]);
  const after = against === 'draft' ? doc : other;
  const diff = useMemo(() => (base && after ? diffFlows(base, after) : undefined), [base, after]);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  if (!versions.length) return <p className="muted">{t('versions.none')}</p>;
  return (
    <div className="form versions" data-testid="versions">
      <ul className="version-list">
        {versions.map((v) => (
          <li key={v.version}>
            <Button
              size="small"
              type={v.version === chosen ? 'primary' : 'default'}
              aria-pressed={v.version === chosen}
              onClick={() => setChosen(v.version)}
            >
              v{v.version}
            </Button>
            <span className="muted">
              {date.format(new Date(v.publishedAt))}
              {v.publishedBy ? ` · ${actorName(people, v.publishedBy, t('workbench.system'))}` : ''}
            </span>
            {v.note && <span>{v.note}</span>}
          </li>
        ))}
      </ul>
      <ReplayPanel flowKey={flowKey} />
      <MigrationPanel
        flowKey={flowKey}
        versions={versions.map((v) => v.version)}
        statesOf={async (version) =>
          (
            await api<{ document: Flow }>('GET', `/flows/${flowKey}/versions/${version}`)
          ).document.states.map((s) => s.id)
        }
      />
      {diff && (
        <>
          <h3>
            {against === 'draft'
              ? t('versions.changes', { version: chosen })
              : t('versions.between', { version: chosen, other: against })}
          </h3>
          <SelectField<string>
            name="compare-against"
            label={t('versions.against')}
            value={String(against)}
            onChange={(value) => setAgainst(value === 'draft' ? 'draft' : Number(value))}
            options={[
              { value: 'draft', label: t('versions.draft') },
              ...versions
                .filter((v) => v.version !== chosen)
                .map((v) => ({ value: String(v.version), label: `v${v.version}` })),
            ]}
          />
          {diff.same && <p className="muted">{t('versions.same')}</p>}
          {diff.properties.length > 0 && (
            <p>
              {t('versions.properties')}: {diff.properties.join(', ')}
            </p>
          )}
          {DIFF_SECTIONS.map((section) => {
            const s = diff.sections[section];
            if (!s.added.length && !s.removed.length && !s.changed.length) return null;
            return (
              <div key={section} data-section={section}>
                <strong>{t(`versions.sections.${section}`)}</strong>
                <ul className="diff">
                  {s.added.map((id) => (
                    <li key={`+${id}`} className="added">
                      + {id}
                    </li>
                  ))}
                  {s.removed.map((id) => (
                    <li key={`-${id}`} className="removed">
                      − {id}
                    </li>
                  ))}
                  {s.changed.map((id) => (
                    <li key={`~${id}`} className="changed">
                      ~ {id}
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
          <Button onClick={() => setShowJson(!showJson)}>
            {t(showJson ? 'versions.hideJson' : 'versions.showJson')}
          </Button>
          {showJson && base && after && (
            <Suspense fallback={<p className="muted">…</p>}>
              <JsonDiff before={pretty(base)} after={pretty(after)} />
            </Suspense>
          )}
        </>
      )}
    </div>
  );
}
