import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { ListOf, Time } from './shared';

/** A person or an API key, as the API shows them: never a hash or a secret. */
export const Principal = component(
  'Principal',
  Type.Object({
    id: Type.String(),
    kind: Type.Union([Type.Literal('user'), Type.Literal('key')]),
    name: Type.String(),
    email: Type.Optional(Type.String()),
    keyPrefix: Type.Optional(Type.String()),
    roles: Type.Array(Type.String()),
    createdAt: Type.Optional(Time),
    revokedAt: Type.Optional(Time),
    disabled: Type.Optional(Type.Boolean()),
    disabledAt: Type.Optional(Time),
    createdBy: Type.Optional(Type.String()),
  }),
);

export const PrincipalList = component('PrincipalList', ListOf(Principal));

/** Who acts, as every signed-in role may see them (`GET /api/people`): names, no emails. */
export const Someone = component(
  'Someone',
  Type.Object({
    id: Type.String(),
    kind: Type.Union([Type.Literal('user'), Type.Literal('key')]),
    name: Type.String(),
    roles: Type.Array(Type.String()),
    active: Type.Boolean(),
  }),
);
export const Directory = component('Directory', ListOf(Someone));

/** A new API key: the only answer that holds the key itself. */
export const CreatedKey = component(
  'CreatedKey',
  Type.Composite([Principal, Type.Object({ key: Type.String({ description: 'shown once' }) })]),
);

/** A signed-in person and the token to send as `Authorization: Bearer`. */
export const SignedIn = component(
  'SignedIn',
  Type.Object({ user: Principal, token: Type.String({ description: 'a JWT, 12 h' }) }),
);

export const SetupStatus = component('SetupStatus', Type.Object({ needed: Type.Boolean() }));

/** What deleting a person released. */
export const DeletedPerson = component(
  'DeletedPerson',
  Type.Object({
    id: Type.String(),
    releasedTasks: Type.Array(Type.Integer()),
    deletedViews: Type.Integer(),
    revokedKeys: Type.Array(Type.String()),
  }),
);

/** `GET /api/health`. */
export const Health = component(
  'Health',
  Type.Object({
    status: Type.Literal('ok'),
    database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('cluster')]),
    version: Type.String(),
  }),
);
