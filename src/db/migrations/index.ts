import type { Migration } from 'kysely';
import * as mirror from './2026-11-27T01-mirror.ts';
import * as findings from './2026-11-27T02-findings.ts';
import * as journal from './2026-11-27T03-journal.ts';
import * as reportsWorker from './2026-11-27T04-reports-worker.ts';
import * as pipelineRuns from './2026-11-27T05-pipeline-runs.ts';
import * as digestPeriod from './2026-11-27T06-digest-period.ts';
import * as evaluationKeys from './2026-11-27T07-evaluation-keys.ts';
import * as liveDossiersIndex from './2026-11-27T08-live-dossiers-index.ts';
import * as dropChampsDescriptorIndex from './2026-11-27T09-drop-champs-descriptor-index.ts';
import * as mutationJournalEvents from './2026-11-27T10-mutation-journal-events.ts';
import * as purgedDossiers from './2026-12-07T01a-purged-dossiers.ts';
import * as dossiersStateCountsIndex from './2026-12-07T15-dossiers-state-counts-index.ts';
import * as analystViews from './2026-12-07T20-analyst-views.ts';
import * as rawJsonLz4 from './2026-12-07T21-raw-json-lz4.ts';

/** Dated migrations, in order. Add new ones at the end; never edit a released one. */
export const migrations: Record<string, Migration> = {
  '2026-11-27T01-mirror': mirror,
  '2026-11-27T02-findings': findings,
  '2026-11-27T03-journal': journal,
  '2026-11-27T04-reports-worker': reportsWorker,
  '2026-11-27T05-pipeline-runs': pipelineRuns,
  '2026-11-27T06-digest-period': digestPeriod,
  '2026-11-27T07-evaluation-keys': evaluationKeys,
  '2026-11-27T08-live-dossiers-index': liveDossiersIndex,
  '2026-11-27T09-drop-champs-descriptor-index': dropChampsDescriptorIndex,
  '2026-11-27T10-mutation-journal-events': mutationJournalEvents,
  '2026-12-07T01a-purged-dossiers': purgedDossiers,
  '2026-12-07T15-dossiers-state-counts-index': dossiersStateCountsIndex,
  '2026-12-07T20-analyst-views': analystViews,
  '2026-12-07T21-raw-json-lz4': rawJsonLz4,
};
