import type { FindingsTables } from './tables/findings.table.ts';
import type { JournalTables } from './tables/journal.table.ts';
import type { MirrorTables } from './tables/mirror.table.ts';
import type { PipelineTables } from './tables/pipeline.table.ts';
import type { ReportsWorkerTables } from './tables/reports-worker.table.ts';

/** The whole database, as kysely sees it: one interface per capability. */
export interface Database extends MirrorTables, FindingsTables, JournalTables, ReportsWorkerTables, PipelineTables {}
