import type { CompiledFlow } from '../interpreter';
import type { HistoryEntry, OrderData } from '../order';
import { replayHistory } from '../replay';
import type { DataSets } from '../rules/data-sets';

/**
 * The order's data after each step of its history, replayed on the flow it ran on: step `i`
 * gets the data after the last input at or before it. Where the replay is refused (an imported
 * legacy order, a history the flow no longer accepts) only the last step is known: `current`.
 */
export function dataAlong(
  flow: CompiledFlow,
  history: readonly HistoryEntry[],
  orderId: string,
  current: OrderData,
  /** The data sets each step's rules read (a flow whose rules look up reference data). */
  dataSetsFor?: (entry: HistoryEntry) => DataSets | undefined,
): (step: number) => OrderData | undefined {
  const after: (OrderData | undefined)[] = new Array(history.length);
  const outcome = replayHistory(
    flow,
    history,
    orderId,
    (step, order) => {
      after[step] = order.data;
    },
    dataSetsFor,
  );
  if (!outcome.ok) return (step) => (step === history.length - 1 ? current : undefined);
  let last: OrderData | undefined;
  for (let i = 0; i < history.length; i++) after[i] = last = after[i] ?? last;
  return (step) => after[step];
}
