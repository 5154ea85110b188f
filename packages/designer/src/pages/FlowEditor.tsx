import { Alert, Button } from 'antd';
import { type Flow, type Problem, validateFlow } from '@ordo/engine';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
} from '@xyflow/react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io } from 'socket.io-client';
import { api, ApiError, token } from '../api';
import { FieldsPanel } from '../components/FieldsPanel';
import { IntegrationPanel } from '../components/integration/IntegrationPanel';
import { Inspector, type Selection } from '../components/Inspector';
import { ErrorAlert } from '../components/TextField';
import { ProblemsList } from '../components/ProblemsList';
import { VersionsPanel } from '../components/VersionsPanel';
import { SimulatePanel, type Simulation } from '../components/SimulatePanel';
import { WhatIfPanel } from '../components/WhatIfPanel';
import { StateNode } from '../components/StateNode';
import { RoutedEdge } from '../components/RoutedEdge';
import { applyEdit, EditHistory, elementOf, type FlowEdit, withLists } from '../model/flow-edits';
import { flowToGraph, labelIn } from '../model/flow-graph';
import { hasNoPositions, layoutFlow, type Size } from '../model/elk-layout';
import { DeployChecklist } from './TemplatesPage';
import { useCanvasAria } from '../canvas/canvas-aria';
import { NewEventDialog, NewStateDialog, PublishDialog } from '../components/EditorDialogs';

const nodeTypes = { state: StateNode };
const edgeTypes = { routed: RoutedEdge };
const arrow = { type: MarkerType.ArrowClosed, width: 18, height: 18 };

/** ELK, in a worker, loaded the first time a flow is laid out. */
async function layoutWithElk(flow: Flow, locale: string, measured = new Map<string, Size>()) {
  const { elkRunner, browserSizes } = await import('../canvas/elk-runner');
  return layoutFlow(flow, elkRunner(), browserSizes(measured), locale);
}
// Monaco is large: it loads when the JSON tab is first opened.
const JsonEditor = lazy(() => import('../components/JsonEditor'));
/** The panel's tabs, in their order. */
const TABS = [
  'inspector',
  'fields',
  'integration',
  'json',
  'problems',
  'simulate',
  'versions',
] as const;
type Tab = (typeof TABS)[number];

/** The flow designer: canvas, inspector, JSON, problems, simulation, publish. */
export function FlowEditor({ flowKey }: { flowKey: string }) {
  return (
    <ReactFlowProvider>
      <Editor flowKey={flowKey} />
    </ReactFlowProvider>
  );
}

function Editor({ flowKey }: { flowKey: string }) {
  const { t, i18n } = useTranslation();
  const history = useRef<EditHistory | undefined>(undefined);
  const [doc, setDoc] = useState<Flow>();
  /** The latest published version (null: none yet), kept as this editor and others publish. */
  const [latestVersion, setLatestVersion] = useState<number | null>();
  const [status, setStatus] = useState<'saved' | 'saving' | 'unsaved'>('saved');
  const [tab, setTab] = useState<Tab>('inspector');
  const [selection, setSelection] = useState<Selection>();
  // A state or transition selected on the canvas — by click or by keyboard (Tab to it, Enter) —
  // opens in the inspector.
  const onSelectionChange = useCallback(
    ({
      nodes: picked,
      edges: pickedEdges,
    }: {
      nodes: { id: string }[];
      edges: { data?: unknown }[];
    }) => {
      if (picked.length === 1) setSelection({ kind: 'state', id: picked[0].id });
      else if (!picked.length && pickedEdges.length === 1)
        setSelection({
          kind: 'transition',
          id: (pickedEdges[0].data as { transition: string }).transition,
        });
      else return;
      setTab('inspector');
    },
    [],
  );
  const [simulation, setSimulation] = useState<Simulation>({ visited: [] });
  const [dialog, setDialog] = useState<
    | { kind: 'publish' }
    | { kind: 'connect'; from: string; to: string }
    | { kind: 'state'; position: { x: number; y: number }; fit: boolean }
  >();
  const [notice, setNotice] = useState<string>();
  const [layingOut, setLayingOut] = useState(false);
  const [jsonText, setJsonText] = useState('');
  /** The message format's sample (Integration tab), kept while other tabs are open. */
  const [sample, setSample] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const loaded = useRef(false);
  const { fitView, screenToFlowPosition } = useReactFlow();
  const ariaLabelConfig = useCanvasAria();

  useEffect(() => {
    void api<{ draft: Flow; latestVersion: number | null }>('GET', `/flows/${flowKey}`).then(
      async (view) => {
        setLatestVersion(view.latestVersion);
        let draft = withLists(view.draft);
        // A flow with no positions at all (written by hand, imported) opens laid out; the layout
        // is saved with the first edit.
        if (hasNoPositions(draft) && draft.states.length)
          draft = await layoutWithElk(draft, i18n.language).then(
            (layout) => applyEdit(draft, { kind: 'layout', layout }),
            () => draft, // without ELK (no worker): the simple layered positions
          );
        history.current = new EditHistory(draft);
        setDoc(draft);
      },
    );
    const socket = io('/live', { auth: { token: token.get() }, transports: ['websocket'] });
    socket.on('connect', () => void socket.emitWithAck('subscribe', { flow: flowKey }));
    socket.on('flow.published', (e: { flow: string; version: number }) => {
      setLatestVersion(e.version);
      setNotice(t('editor.remotePublish', e));
    });
    return () => void socket.close();
  }, [flowKey, t, i18n]);

  const edit = useCallback((change: FlowEdit) => {
    if (!history.current) return;
    setDoc(history.current.apply(change));
    setStatus('unsaved');
  }, []);
  const replace = useCallback((next: Flow) => edit({ kind: 'replace', doc: next }), [edit]);

  // Autosave the draft a moment after the last edit.
  useEffect(() => {
    if (!doc) return;
    if (!loaded.current) return void (loaded.current = true);
    setJsonText(JSON.stringify(doc, null, 2));
    const timer = setTimeout(() => {
      setStatus('saving');
      void api('PUT', `/flows/${flowKey}/draft`, doc).then(
        () => setStatus('saved'),
        () => setStatus('unsaved'),
      );
    }, 600);
    return () => clearTimeout(timer);
  }, [doc, flowKey]);
  useEffect(() => {
    if (doc && !jsonText) setJsonText(JSON.stringify(doc, null, 2));
  }, [doc, jsonText]);

  const validation = useMemo(
    () => (doc ? validateFlow(doc) : { ok: false, problems: [] as Problem[] }),
    [doc],
  );
  const graph = useMemo(
    () => (doc ? flowToGraph(doc, i18n.language) : { nodes: [], edges: [] }),
    [doc, i18n.language],
  );
  const current = simulation.order?.state;
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>([]);
  useEffect(() => {
    // Keep each node's measured size: without it the canvas hides the edges until it has
    // measured the nodes again, and they flicker on every selection or edit.
    setNodes((previous) => {
      const measured = new Map(previous.map((n) => [n.id, n.measured]));
      return graph.nodes.map((n) => ({
        ...n,
        measured: measured.get(n.id),
        selected: selection?.kind === 'state' && selection.id === n.id,
        data: { ...n.data, current: n.id === current, visited: simulation.visited.includes(n.id) },
      }));
    });
  }, [graph, selection, current, simulation.visited, setNodes]);
  const edges: Edge[] = graph.edges.map((e) => ({
    ...e,
    ariaLabel: t('canvas.edge', {
      label: e.label,
      from: labelIn(doc?.states.find((s) => s.id === e.source)?.label, i18n.language, e.source),
      to: labelIn(doc?.states.find((s) => s.id === e.target)?.label, i18n.language, e.target),
    }),
    markerEnd: arrow,
    selected: selection?.kind === 'transition' && selection.id === e.data.transition,
    animated: e.source === current,
    className: validation.problems.some(
      (p) => p.severity === 'error' && elementOf(doc!, p.path)?.id === e.data.transition,
    )
      ? 'edge-error'
      : undefined,
  }));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        !(event.ctrlKey || event.metaKey) ||
        event.key.toLowerCase() !== 'z' ||
        (event.target as HTMLElement).closest('input, textarea')
      )
        return;
      event.preventDefault();
      const h = history.current;
      if (!h) return;
      setDoc(event.shiftKey ? h.redo() : h.undo());
      setStatus('unsaved');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!doc) return null;
  const errors = validation.problems.filter((p) => p.severity === 'error').length;

  async function publish(note: string | undefined) {
    setDialog(undefined);
    try {
      await api('PUT', `/flows/${flowKey}/draft`, doc);
      const result = await api<{ version: number }>(
        'POST',
        `/flows/${flowKey}/publish`,
        note ? { note } : {},
      );
      setLatestVersion(result.version);
      setNotice(t('editor.published', { version: result.version }));
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : String(error));
    }
  }

  return (
    <div className="editor">
      {dialog?.kind === 'publish' && (
        <PublishDialog
          onDone={(note) => void publish(note)}
          onCancel={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'state' && (
        <NewStateDialog
          doc={doc}
          onCancel={() => setDialog(undefined)}
          onDone={(state) => {
            setDialog(undefined);
            edit({ kind: 'add-state', ...state, position: dialog.position });
            if (dialog.fit) setTimeout(() => void fitView({ maxZoom: 1 }), 50);
          }}
        />
      )}
      {dialog?.kind === 'connect' && (
        <NewEventDialog
          doc={doc}
          from={dialog.from}
          to={dialog.to}
          onCancel={() => setDialog(undefined)}
          onDone={(event) => {
            setDialog(undefined);
            edit({ kind: 'connect', from: dialog.from, to: dialog.to, event });
          }}
        />
      )}
      <div className="toolbar">
        <a className="back" href="#/">
          ← {t('editor.back')}
        </a>
        <h2>{labelIn(doc.name, i18n.language, doc.key)}</h2>
        <Button
          type="primary"
          onClick={() => {
            // Beside the right-most state, then bring everything into view.
            const right = graph.nodes.reduce(
              (best, n) => (n.position.x > best.x ? n.position : best),
              { x: 0, y: 40 },
            );
            setDialog({
              kind: 'state',
              position: { x: right.x + 260, y: right.y },
              fit: true,
            });
          }}
        >
          + {t('editor.addState')}
        </Button>
        <span
          className="palette-item"
          draggable
          title={t('editor.dragState')}
          data-testid="palette-state"
          onDragStart={(e) => {
            e.dataTransfer.setData('application/x-ordo-state', 'state');
            e.dataTransfer.effectAllowed = 'copy';
          }}
        >
          ◻ {t('editor.stateChip')}
        </span>
        <Button
          data-testid="auto-layout"
          disabled={layingOut}
          onClick={() => {
            setLayingOut(true);
            const measured = new Map(
              nodes.map((n) => [
                n.id,
                { width: n.measured?.width ?? 0, height: n.measured?.height ?? 0 },
              ]),
            );
            void layoutWithElk(doc, i18n.language, measured)
              .then((layout) => {
                edit({ kind: 'layout', layout });
                setTimeout(() => void fitView({ maxZoom: 1 }), 50);
              })
              .catch((error: Error) =>
                setNotice(t('editor.layoutFailed', { message: error.message })),
              )
              .finally(() => setLayingOut(false));
          }}
        >
          {t('editor.layout')}
        </Button>
        <Button onClick={() => history.current && setDoc(history.current.undo())}>
          {t('editor.undo')}
        </Button>
        <Button onClick={() => history.current && setDoc(history.current.redo())}>
          {t('editor.redo')}
        </Button>
        <span className="spacer" />
        <Button href={`#/analytics/${flowKey}`}>{t('analytics.title')}</Button>
        <Button href={`#/orders?flow=${flowKey}&new=1`}>{t('workbench.newOrder')}</Button>
        <span className="muted" data-testid="save-status">
          {t(`editor.${status}`)}
        </span>
        <Button
          type="primary"
          onClick={() => setDialog({ kind: 'publish' })}
          disabled={errors > 0}
          title={errors > 0 ? t('editor.publishBlocked') : undefined}
        >
          {t('editor.publish')}
        </Button>
      </div>
      {notice && (
        <Alert
          banner
          className="notice"
          type="info"
          title={notice}
          closable={{ onClose: () => setNotice(undefined) }}
        />
      )}
      <div className="workspace">
        <div
          className="canvas"
          onDragOver={(e) => {
            if (!e.dataTransfer.types.includes('application/x-ordo-state')) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDrop={(e) => {
            if (!e.dataTransfer.types.includes('application/x-ordo-state')) return;
            e.preventDefault();
            setDialog({
              kind: 'state',
              position: screenToFlowPosition({ x: e.clientX, y: e.clientY }),
              fit: false,
            });
          }}
        >
          {/* Over the canvas, under the toolbar: it must never cover Publish. */}
          <DeployChecklist flow={doc.key} />
          <ReactFlow
            ariaLabelConfig={ariaLabelConfig}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStop={(_, node) =>
              edit({ kind: 'move-state', id: node.id, position: node.position })
            }
            onSelectionChange={onSelectionChange}
            onNodeClick={(_, node) => (
              setSelection({ kind: 'state', id: node.id }),
              setTab('inspector')
            )}
            onEdgeClick={(_, e) => (
              setSelection({
                kind: 'transition',
                id: (e.data as { transition: string }).transition,
              }),
              setTab('inspector')
            )}
            onConnect={(c: Connection) => {
              if (c.source && c.target)
                setDialog({ kind: 'connect', from: c.source, to: c.target });
            }}
            onNodesDelete={(deleted) =>
              deleted.forEach((n) => edit({ kind: 'remove-state', id: n.id }))
            }
            onEdgesDelete={(deleted) =>
              deleted.forEach((e) =>
                edit({
                  kind: 'remove-transition',
                  id: (e.data as { transition: string }).transition,
                }),
              )
            }
            deleteKeyCode={['Delete', 'Backspace']}
            fitView
            fitViewOptions={{ maxZoom: 1 }}
          >
            <MiniMap pannable zoomable />
            <Controls />
            <Background />
          </ReactFlow>
        </div>
        <aside className="panel">
          <nav className="tabs">
            {TABS.map((name) => (
              <button
                key={name}
                className={tab === name ? 'active' : ''}
                onClick={() => setTab(name)}
                data-tab={name}
              >
                {t(`editor.tabs.${name}`, { count: validation.problems.length })}
              </button>
            ))}
          </nav>
          {tab === 'inspector' && (
            <Inspector doc={doc} selection={selection} onChange={replace} onSelect={setSelection} />
          )}
          {tab === 'fields' && <FieldsPanel doc={doc} onChange={replace} />}
          {tab === 'integration' && (
            <IntegrationPanel doc={doc} onChange={replace} sample={sample} onSample={setSample} />
          )}
          {tab === 'json' && (
            <div className="form">
              <Suspense fallback={<p className="muted">…</p>}>
                <JsonEditor value={jsonText} onChange={setJsonText} />
              </Suspense>
              {jsonError && <ErrorAlert message={jsonError} />}
              <Button
                type="primary"
                onClick={() => {
                  try {
                    const parsed: unknown = JSON.parse(jsonText);
                    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
                      throw new Error(t('json.notObject'));
                    replace(withLists(parsed as Flow));
                    setJsonError(undefined);
                  } catch (error) {
                    setJsonError(t('json.invalid', { message: (error as Error).message }));
                  }
                }}
              >
                {t('json.apply')}
              </Button>
            </div>
          )}
          {tab === 'problems' && (
            <ProblemsList
              problems={validation.problems}
              onPick={(p) => {
                const element = elementOf(doc, p.path);
                if (!element) return;
                setSelection(element);
                setTab('inspector');
              }}
            />
          )}
          {tab === 'versions' && <VersionsPanel flowKey={flowKey} doc={doc} />}
          {tab === 'simulate' && (
            <>
              <SimulatePanel doc={doc} simulation={simulation} onChange={setSimulation} />
              <WhatIfPanel
                flowKey={flowKey}
                doc={doc}
                latest={latestVersion}
                valid={validation.ok}
              />
            </>
          )}
        </aside>
      </div>
    </div>
  );
}
