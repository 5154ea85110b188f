import { SetMetadata } from '@nestjs/common';

/** The built-in roles. Business roles (`sales`, `warehouse`, …) are any other string. */
export type BuiltinRole = 'admin' | 'designer' | 'operator' | 'viewer';

export const ROLES_KEY = 'ordo:roles';
export const PUBLIC_KEY = 'ordo:public';

/**
 * The roles an endpoint needs (any one of them). `admin` always passes. Every controller
 * method states its roles or is marked {@link Public}.
 */
export const Roles = (...roles: BuiltinRole[]) => SetMetadata(ROLES_KEY, roles);

/** An endpoint anyone may call without credentials (health, login, first-run setup). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
