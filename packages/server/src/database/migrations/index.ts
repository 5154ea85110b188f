import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { Runtime1764400000000 } from './1764400000000-runtime';
import { Integration1764500000000 } from './1764500000000-integration';
import { SavedViews1764600000000 } from './1764600000000-saved-views';
import { Journeys1764750000000 } from './1764750000000-journeys';
import { CredentialHosts1764810000000 } from './1764810000000-credential-hosts';
import { KeyFingerprints1764820000000 } from './1764820000000-key-fingerprints';
import { PeopleAudit1764850000000 } from './1764850000000-people-audit';
import { Leases1764830000000 } from './1764830000000-leases';
import { ReportRuns1764860000000 } from './1764860000000-report-runs';
import { TimerKinds1764870000000 } from './1764870000000-timer-kinds';
import { IntakePulls1764880000000 } from './1764880000000-intake-pulls';
import { JourneyPeriods1764910000000 } from './1764910000000-journey-periods';
import { DataSets1764920000000 } from './1764920000000-data-sets';
import { TaskLifecycle1764930000000 } from './1764930000000-task-lifecycle';
import { ReconciliationRepairs1764950100000 } from './1764950100000-reconciliation-repairs';
import { DataSetRefreshes1764960000000 } from './1764960000000-data-set-refreshes';
import { IntakeMessages1764980000000 } from './1764980000000-intake-messages';
import { IntakeMailboxes1765000000000 } from './1765000000000-intake-mailboxes';
import { MessageLanguage1765040000000 } from './1765040000000-message-language';
import { HistorySource1765040000001 } from './1765040000001-history-source';
import { MessageChannel1765060000000 } from './1765060000000-message-channel';
import { DataSetTitleLabel1765090000000 } from './1765090000000-data-set-title-label';
import { OutboxClaimOrder1765110000000 } from './1765110000000-outbox-claim-order';
import { SimulationJobs1765130000000 } from './1765130000000-simulation-jobs';
import { SimulationDashboard1765170000000 } from './1765170000000-simulation-dashboard';

/** Every migration, oldest first. Run on start (`ordo start`) and by `ordo migrate`. */
export const migrations = [
  InitialSchema1764300000000,
  Runtime1764400000000,
  Integration1764500000000,
  SavedViews1764600000000,
  Journeys1764750000000,
  CredentialHosts1764810000000,
  KeyFingerprints1764820000000,
  Leases1764830000000,
  PeopleAudit1764850000000,
  ReportRuns1764860000000,
  TimerKinds1764870000000,
  IntakePulls1764880000000,
  JourneyPeriods1764910000000,
  DataSets1764920000000,
  TaskLifecycle1764930000000,
  ReconciliationRepairs1764950100000,
  DataSetRefreshes1764960000000,
  IntakeMessages1764980000000,
  IntakeMailboxes1765000000000,
  MessageLanguage1765040000000,
  HistorySource1765040000001,
  MessageChannel1765060000000,
  DataSetTitleLabel1765090000000,
  OutboxClaimOrder1765110000000,
  SimulationJobs1765130000000,
  SimulationDashboard1765170000000,
];
