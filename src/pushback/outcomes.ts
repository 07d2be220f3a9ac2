/**
 * The outcome categories every push-back total is given in (CLI lines, --json, the worker's
 * summary): each item's status is the journal's word for it, so a total never counts an item
 * the run did not reach as "nothing to do", nor an unverified send as a failure.
 */
import type { ExecutionReport, ItemStatus } from './executor.ts';

export type Outcome = 'sent' | 'alreadyDone' | 'notAttempted' | 'blocked' | 'failed' | 'uncertain' | 'planned';
export const OUTCOMES: readonly Outcome[] = ['sent', 'alreadyDone', 'notAttempted', 'blocked', 'failed', 'uncertain', 'planned'];

export const OUTCOME_OF: Readonly<Record<ItemStatus, Outcome>> = {
  sent: 'sent',
  skipped: 'alreadyDone',
  not_attempted: 'notAttempted',
  guarded: 'blocked',
  conflict: 'blocked',
  failed: 'failed',
  uncertain: 'uncertain',
  dry_run: 'planned',
};

export type OutcomeTotals = Record<Outcome, number>;

export function outcomeTotals(reports: readonly Pick<ExecutionReport, 'results'>[]): OutcomeTotals {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeTotals;
  for (const report of reports) for (const r of report.results) totals[OUTCOME_OF[r.status]] += 1;
  return totals;
}

/** Outcomes that leave work for a later run or a person: the command exits 1. */
export const UNFINISHED: readonly Outcome[] = ['notAttempted', 'blocked', 'failed', 'uncertain'];
