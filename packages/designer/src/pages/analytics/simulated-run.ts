import { createContext } from 'react';

/**
 * True inside a simulated run's dashboard (SimulatedRuns): its figures come from a database that
 * is gone, so nothing links to orders and no table is downloaded from this server's analytics.
 */
export const SimulatedRun = createContext(false);
