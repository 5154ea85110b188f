import type { Field, FieldTypeName, Flow } from '@ordo/engine';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addField,
  type FieldPath,
  fieldsAt,
  moveField,
  removeField,
  updateField,
} from '../model/field-edits';
import { labelIn, withLabelIn } from '../model/flow-graph';
import { type Ownership, ownershipOf, ownershipPatch, parseRoles } from '../model/ownership';

const TYPES: FieldTypeName[] = [
  'string',
  'text',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'enum',
  'money',
  'object',
  'array',
];

function FieldList({
  flow,
  path,
  onChange,
}: {
  flow: Flow;
  path: FieldPath;
  onChange: (doc: Flow) => void;
}) {
  const { t, i18n } = useTranslation();
  const [key, setKey] = useState('');
  const [type, setType] = useState<FieldTypeName>('string');
  const fields = fieldsAt(flow, path);
  return (
    <div className="field-list">
      {fields.map((f, i) => (
        <div key={`${f.key}-${i}`} className="field-row">
          <div className="row">
            <code>{f.key}</code>
            <input
              name={`${f.key}-label`}
              aria-label={t('fields.label')}
              placeholder={t('fields.label')}
              value={labelIn(f.label, i18n.language, '')}
              onChange={(e) =>
                onChange(
                  updateField(flow, path, i, {
                    label: e.target.value
                      ? withLabelIn(f.label, i18n.language, e.target.value)
                      : undefined,
                  }),
                )
              }
            />
            <select
              aria-label={t('fields.type')}
              value={f.type}
              onChange={(e) =>
                onChange(updateField(flow, path, i, { type: e.target.value as FieldTypeName }))
              }
            >
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`fields.types.${ty}`)}
                </option>
              ))}
            </select>
            <label className="check">
              <input
                type="checkbox"
                checked={f.required === true}
                onChange={(e) =>
                  onChange(updateField(flow, path, i, { required: e.target.checked || undefined }))
                }
              />
              {t('fields.required')}
            </label>
            <button
              className="ghost"
              title={t('fields.up')}
              onClick={() => onChange(moveField(flow, path, i, -1))}
            >
              ↑
            </button>
            <button
              className="ghost"
              title={t('fields.down')}
              onClick={() => onChange(moveField(flow, path, i, 1))}
            >
              ↓
            </button>
            <button
              className="ghost"
              title={t('fields.remove')}
              onClick={() => onChange(removeField(flow, path, i))}
            >
              ✕
            </button>
          </div>
          {f.type === 'enum' && (
            <input
              aria-label={t('fields.options')}
              value={(f.options ?? []).map((o) => (typeof o === 'string' ? o : o.value)).join(', ')}
              onChange={(e) =>
                onChange(
                  updateField(flow, path, i, {
                    options: e.target.value
                      .split(',')
                      .map((o) => o.trim())
                      .filter(Boolean),
                  }),
                )
              }
            />
          )}
          <Constraints
            field={f}
            onChange={(patch) => onChange(updateField(flow, path, i, patch))}
          />
          <OwnershipEditor
            field={f}
            onChange={(patch) => onChange(updateField(flow, path, i, patch))}
          />
          {(f.type === 'object' || f.type === 'array') && (
            <FieldList flow={flow} path={[...path, i]} onChange={onChange} />
          )}
        </div>
      ))}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!key) return;
          onChange(addField(flow, path, key, type));
          setKey('');
        }}
      >
        <input
          name={`new-field-${path.join('-') || 'root'}`}
          placeholder={t('fields.key')}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          pattern="[A-Za-z_][A-Za-z0-9_]*"
        />
        <select
          name={`new-field-type-${path.join('-') || 'root'}`}
          value={type}
          onChange={(e) => setType(e.target.value as FieldTypeName)}
        >
          {TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`fields.types.${ty}`)}
            </option>
          ))}
        </select>
        <button type="submit">+ {t('fields.add')}</button>
      </form>
    </div>
  );
}

/** The constraints each type takes, edited in the table (the lint checks them as you type). */
const CONSTRAINTS: Partial<
  Record<
    FieldTypeName,
    ('min' | 'max' | 'minLength' | 'maxLength' | 'pattern' | 'minItems' | 'maxItems')[]
  >
> = {
  number: ['min', 'max'],
  integer: ['min', 'max'],
  money: ['min', 'max'],
  string: ['minLength', 'maxLength', 'pattern'],
  text: ['minLength', 'maxLength'],
  array: ['minItems', 'maxItems'],
};

function Constraints({
  field,
  onChange,
}: {
  field: Field;
  onChange: (patch: Partial<Field>) => void;
}) {
  const { t } = useTranslation();
  const names = CONSTRAINTS[field.type] ?? [];
  if (!names.length) return null;
  return (
    <div className="row constraints">
      {names.map((name) => {
        const value = (field as unknown as Record<string, unknown>)[name];
        return (
          <label key={name} className="constraint">
            {t(`fields.constraints.${name}`)}
            <input
              name={`${field.key}-${name}`}
              type={name === 'pattern' ? 'text' : 'number'}
              value={value === undefined ? '' : String(value)}
              onChange={(e) => {
                const text = e.target.value;
                const parsed = name === 'pattern' ? text : Number(text);
                onChange({
                  [name]:
                    text === '' || (name !== 'pattern' && !Number.isFinite(parsed))
                      ? undefined
                      : parsed,
                } as Partial<Field>);
              }}
            />
          </label>
        );
      })}
    </div>
  );
}

/**
 * Who may write the field: anyone, people with one of some roles (`writableBy`; admins always
 * may), or only the system (`source: "system"`: connector answers, webhooks, timers).
 */
function OwnershipEditor({
  field,
  onChange,
}: {
  field: Field;
  onChange: (patch: Partial<Field>) => void;
}) {
  const { t } = useTranslation();
  const owner = ownershipOf(field);
  return (
    <div className="row constraints">
      <label className="constraint">
        {t('fields.ownership.label')}
        <select
          name={`${field.key}-ownership`}
          value={owner}
          title={t(`fields.ownership.hint.${owner}`)}
          onChange={(e) => onChange(ownershipPatch(field, e.target.value as Ownership))}
        >
          {(['anyone', 'roles', 'system'] as const).map((o) => (
            <option key={o} value={o}>
              {t(`fields.ownership.${o}`)}
            </option>
          ))}
        </select>
      </label>
      {owner === 'roles' && (
        <label className="constraint">
          {t('fields.ownership.roles')}
          <input
            name={`${field.key}-writableBy`}
            defaultValue={(field.writableBy ?? []).join(', ')}
            onBlur={(e) => onChange(ownershipPatch(field, 'roles', parseRoles(e.target.value)))}
          />
        </label>
      )}
    </div>
  );
}

/** A preview of the order form operators will see, from the fields. */
function FormPreview({ fields, locale }: { fields: readonly Field[]; locale: string }) {
  return (
    <div className="form-preview">
      {fields.map((f) => {
        const label = `${labelIn(f.label, locale, f.key)}${f.required ? ' *' : ''}`;
        if (f.type === 'object')
          return (
            <fieldset key={f.key}>
              <legend>{label}</legend>
              <FormPreview fields={f.fields ?? []} locale={locale} />
            </fieldset>
          );
        if (f.type === 'array')
          return (
            <fieldset key={f.key}>
              <legend>{label} [ ]</legend>
              <FormPreview fields={f.items ?? []} locale={locale} />
            </fieldset>
          );
        const input =
          f.type === 'boolean' ? (
            <input type="checkbox" disabled />
          ) : f.type === 'enum' ? (
            <select disabled>
              {(f.options ?? []).map((o) => (
                <option key={typeof o === 'string' ? o : o.value}>
                  {typeof o === 'string' ? o : labelIn(o.label, locale, o.value)}
                </option>
              ))}
            </select>
          ) : f.type === 'text' ? (
            <textarea rows={2} disabled />
          ) : (
            <input
              disabled
              type={
                f.type === 'number' || f.type === 'integer' || f.type === 'money'
                  ? 'number'
                  : f.type === 'date'
                    ? 'date'
                    : f.type === 'datetime'
                      ? 'datetime-local'
                      : 'text'
              }
              placeholder={f.type === 'money' ? '0.00 CNY' : ''}
            />
          );
        return (
          <label key={f.key}>
            {label}
            {input}
          </label>
        );
      })}
    </div>
  );
}

/** The order's fields: add, type, order, nest; with a live preview of the order form. */
export function FieldsPanel({ doc, onChange }: { doc: Flow; onChange: (doc: Flow) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="form">
      <FieldList flow={doc} path={[]} onChange={onChange} />
      <h3>{t('fields.preview')}</h3>
      <FormPreview fields={doc.fields} locale={i18n.language} />
    </div>
  );
}
