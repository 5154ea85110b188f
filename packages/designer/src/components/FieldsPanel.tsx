import type { Field, FieldTypeName, Flow } from '@ordo/engine';
import { Button, Card, Checkbox, Input, InputNumber, Select, Space, Tooltip } from 'antd';
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
import { Field as LabelledField, fieldId, SelectField } from './TextField';

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

/** A small button with its words as a tooltip and its accessible name (↑, ↓, ✕). */
function IconButton(props: { label: string; onClick(): void; children: string; danger?: boolean }) {
  return (
    <Tooltip title={props.label}>
      <Button size="small" danger={props.danger} aria-label={props.label} onClick={props.onClick}>
        {props.children}
      </Button>
    </Tooltip>
  );
}

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
  const types = TYPES.map((ty) => ({ value: ty, label: t(`fields.types.${ty}`) }));
  const at = path.join('-') || 'root';
  return (
    <div className="field-list">
      {fields.map((f, i) => (
        <div key={`${f.key}-${i}`} className="field-row">
          <div className="row">
            <code>{f.key}</code>
            <Input
              size="small"
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
            <Select<FieldTypeName>
              size="small"
              data-testid={`${f.key}-type`}
              aria-label={t('fields.type')}
              popupMatchSelectWidth={false}
              value={f.type}
              options={types}
              onChange={(ty) => onChange(updateField(flow, path, i, { type: ty }))}
            />
            <Checkbox
              checked={f.required === true}
              onChange={(e) =>
                onChange(updateField(flow, path, i, { required: e.target.checked || undefined }))
              }
            >
              {t('fields.required')}
            </Checkbox>
            <Space.Compact>
              <IconButton
                label={t('fields.up')}
                onClick={() => onChange(moveField(flow, path, i, -1))}
              >
                ↑
              </IconButton>
              <IconButton
                label={t('fields.down')}
                onClick={() => onChange(moveField(flow, path, i, 1))}
              >
                ↓
              </IconButton>
              <IconButton
                danger
                label={t('fields.remove')}
                onClick={() => onChange(removeField(flow, path, i))}
              >
                ✕
              </IconButton>
            </Space.Compact>
          </div>
          {f.type === 'enum' && (
            <Input
              size="small"
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
        <Input
          name={`new-field-${at}`}
          aria-label={t('fields.key')}
          placeholder={t('fields.key')}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          pattern="[A-Za-z_][A-Za-z0-9_]*"
        />
        <SelectField<FieldTypeName>
          name={`new-field-type-${at}`}
          ariaLabel={t('fields.type')}
          value={type}
          onChange={setType}
          options={types}
        />
        <Button type="primary" htmlType="submit">
          + {t('fields.add')}
        </Button>
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
            {name === 'pattern' ? (
              <Input
                size="small"
                name={`${field.key}-${name}`}
                value={value === undefined ? '' : String(value)}
                onChange={(e) =>
                  onChange({ pattern: e.target.value === '' ? undefined : e.target.value })
                }
              />
            ) : (
              <InputNumber<number>
                // antd names its step buttons in English only; the arrow keys step.
                controls={false}
                size="small"
                name={`${field.key}-${name}`}
                value={typeof value === 'number' ? value : null}
                onChange={(n) =>
                  onChange({
                    [name]: n === null || !Number.isFinite(n) ? undefined : n,
                  } as Partial<Field>)
                }
              />
            )}
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
      <Tooltip title={t(`fields.ownership.hint.${owner}`)}>
        <span className="constraint">
          {t('fields.ownership.label')}
          <SelectField<Ownership>
            name={`${field.key}-ownership`}
            ariaLabel={t('fields.ownership.label')}
            value={owner}
            onChange={(o) => onChange(ownershipPatch(field, o))}
            options={(['anyone', 'roles', 'system'] as const).map((o) => ({
              value: o,
              label: t(`fields.ownership.${o}`),
            }))}
          />
        </span>
      </Tooltip>
      {owner === 'roles' && (
        <label className="constraint">
          {t('fields.ownership.roles')}
          <Input
            size="small"
            name={`${field.key}-writableBy`}
            defaultValue={(field.writableBy ?? []).join(', ')}
            onBlur={(e) => onChange(ownershipPatch(field, 'roles', parseRoles(e.target.value)))}
          />
        </label>
      )}
    </div>
  );
}

/** A preview of the order form operators will see, from the fields (its controls disabled). */
function FormPreview({ fields, locale }: { fields: readonly Field[]; locale: string }) {
  return (
    <div className="form-preview">
      {fields.map((f) => {
        const label = `${labelIn(f.label, locale, f.key)}${f.required ? ' *' : ''}`;
        if (f.type === 'object' || f.type === 'array')
          return (
            <Card key={f.key} size="small" title={f.type === 'array' ? `${label} [ ]` : label}>
              <FormPreview
                fields={(f.type === 'array' ? f.items : f.fields) ?? []}
                locale={locale}
              />
            </Card>
          );
        const id = fieldId(`preview-${f.key}`);
        const input =
          f.type === 'boolean' ? (
            <Checkbox id={id} disabled />
          ) : f.type === 'enum' ? (
            <Select
              id={id}
              disabled
              options={(f.options ?? []).map((o) =>
                typeof o === 'string'
                  ? { value: o, label: o }
                  : { value: o.value, label: labelIn(o.label, locale, o.value) },
              )}
            />
          ) : f.type === 'text' ? (
            <Input.TextArea id={id} rows={2} disabled />
          ) : f.type === 'number' || f.type === 'integer' || f.type === 'money' ? (
            <InputNumber
              // antd names its step buttons in English only; the arrow keys step.
              controls={false}
              id={id}
              disabled
              style={{ width: '100%' }}
              placeholder={f.type === 'money' ? '0.00 CNY' : ''}
            />
          ) : (
            <Input
              id={id}
              disabled
              type={f.type === 'date' ? 'date' : f.type === 'datetime' ? 'datetime-local' : 'text'}
            />
          );
        return (
          <LabelledField key={f.key} label={label} htmlFor={id}>
            {input}
          </LabelledField>
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
