import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { AnyObject, ListOf, Time } from './shared';

/** A saved view of a list page: its settings (filters, search). */
export const SavedView = component(
  'SavedView',
  Type.Object({
    id: Type.Integer(),
    page: Type.String(),
    name: Type.String(),
    settings: AnyObject,
    shared: Type.Boolean(),
    owner: Type.String(),
    updatedAt: Time,
    mine: Type.Optional(Type.Boolean({ description: "in lists: whether it is the caller's" })),
  }),
);

export const SavedViewList = component('SavedViewList', ListOf(SavedView));

/** A stored credential: its field names and hosts, never the secret. */
export const Credential = component(
  'Credential',
  Type.Object({
    name: Type.String(),
    fields: Type.Array(Type.String()),
    hosts: Type.Array(Type.String({ description: 'host:port pattern it may be sent to' })),
    keyId: Type.String({ description: 'the sealing key it is encrypted with' }),
    createdAt: Time,
    updatedAt: Time,
  }),
);

export const CredentialList = component('CredentialList', ListOf(Credential));
