/** Monaco from the bundle, set up once for every editor of the designer. */
import { loader } from '@monaco-editor/react';
import { flowSchema } from '@ordo/engine';
// Only the editor core, its features and the JSON language: the full package would add every
// language. The core alone lacks the features' services (find/replace, suggest, code lens…):
// each editor mount logged "depends on UNKNOWN service" and Ctrl+F did nothing.
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
// @ts-expect-error the JSON contribution ships no type declarations of its own
import { jsonDefaults } from 'monaco-editor/language/json/monaco.contribution.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker.js?worker';

// Monaco from the bundle (no CDN can be reached from where Ordo runs), with the engine's flow
// JSON Schema for validation and completion of the whole document.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    label === 'json' ? new JsonWorker() : new EditorWorker(),
};
loader.config({ monaco });
const flowDocument = {
  uri: 'https://ordo.dev/schema/flow.schema.json',
  fileMatch: ['flow.json'],
  schema: flowSchema as object,
};

/** JSON Schema of a json-logic guard whose `var`s complete to the flow's variables. */
const guardSchema = (variables: string[]) => ({
  uri: 'https://ordo.dev/schema/guard.schema.json',
  fileMatch: ['guard-*.json'],
  schema: {
    $ref: '#/$defs/logic',
    $defs: {
      logic: {
        anyOf: [
          { type: ['string', 'number', 'boolean', 'null'] },
          { type: 'array', items: { $ref: '#/$defs/logic' } },
          {
            type: 'object',
            properties: { var: { anyOf: [{ enum: variables }, { type: ['string', 'array'] }] } },
            additionalProperties: { $ref: '#/$defs/logic' },
          },
        ],
      },
    },
  },
});

const setSchemas = (schemas: object[]) =>
  (jsonDefaults as { setDiagnosticsOptions(options: object): void }).setDiagnosticsOptions({
    validate: true,
    enableSchemaRequest: false,
    schemas,
  });
setSchemas([flowDocument]);

/** Completion of `var` in guard editors: the variables of the flow being edited. */
export function setGuardVariables(variables: string[]): void {
  setSchemas([flowDocument, guardSchema(variables)]);
}
