import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { Runtime1764400000000 } from './1764400000000-runtime';
import { Integration1764500000000 } from './1764500000000-integration';
import { SavedViews1764600000000 } from './1764600000000-saved-views';
import { Journeys1764750000000 } from './1764750000000-journeys';
import { PeopleAudit1764850000000 } from './1764850000000-people-audit';

/** Every migration, oldest first. Run on start (`ordo start`) and by `ordo migrate`. */
export const migrations = [
  InitialSchema1764300000000,
  Runtime1764400000000,
  Integration1764500000000,
  SavedViews1764600000000,
  Journeys1764750000000,
  PeopleAudit1764850000000,
];
