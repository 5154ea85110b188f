import { Type } from '@sinclair/typebox';

const Email = Type.String({ format: 'email', maxLength: 320 });
// Characters here; the server also refuses more than 1024 UTF-8 bytes (password-hash.ts).
const Password = Type.String({
  minLength: 8,
  maxLength: 1024,
  description: 'at least 8 characters, at most 1024 bytes (UTF-8); never cut short',
});
/** Role names; `system` is refused: it marks the system's own actors (connectors, webhooks, timers). */
const RoleList = Type.Array(Type.String({ pattern: '^(?!system$)[a-z][a-z0-9_-]{0,39}$' }), {
  minItems: 1,
  uniqueItems: true,
});

export const SetupBody = Type.Object(
  { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const LoginBody = Type.Object(
  { email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);
export const CreateUserBody = Type.Object(
  {
    email: Email,
    password: Password,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    roles: RoleList,
  },
  { additionalProperties: false },
);
export const CreateKeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), roles: RoleList },
  { additionalProperties: false },
);
export const UpdateUserBody = Type.Object(
  {
    roles: Type.Optional(RoleList),
    /** True disables the person (their tokens and keys stop working); false enables them. */
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
