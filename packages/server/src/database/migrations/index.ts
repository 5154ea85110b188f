import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { Runtime1764400000000 } from './1764400000000-runtime';

/** Every migration, oldest first. Run on start (`ordo start`) and by `ordo migrate`. */
export const migrations = [InitialSchema1764300000000, Runtime1764400000000];
