/**
 * Shared setup of the push-back tests: a simulator on loopback, a real SQLite file mirrored from
 * it by the real sync, evaluations and findings written as `ds-ars check` would, and an
 * executor context. Counts of mutations come from the simulator's own statistics.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config, type DemarcheConfig } from '../../src/config/file.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import { createTestDatabase, dropTestDatabases } from './postgres.ts';
import { GetDossierDocument } from '../../src/generated/graphql.ts';
import { RequestBudget } from '../../src/graphql/budget.ts';
import { DsClient } from '../../src/graphql/client.ts';
import type { DossierNode } from '../../src/graphql/answers.ts';
import type { ExecutorContext, ExecutorHooks } from '../../src/pushback/executor.ts';
import { startSimulator, type RunningSimulator, type SimDemarcheInfo } from '../../src/simulator/index.ts';
import { runSync } from '../../src/sync/sync-runner.ts';

export const ANNOTATION_LABELS = {
  synthese: 'Contrôle automatique – synthèse',
  complet: 'Dossier complet',
  eligibilite: 'Éligibilité',
  dateControle: 'Date du contrôle',
} as const;

export interface SeedFinding {
  ruleId: string;
  severity: 'bloquant' | 'alerte' | 'info';
  message: string;
  champLabel?: string;
}

export interface SeedEvaluation {
  complet: boolean;
  eligible: 'oui' | 'non' | 'a_verifier';
  findings?: SeedFinding[];
  evaluatedAt?: string;
}

export interface PushbackWorld {
  sim: RunningSimulator;
  dir: string;
  /** DS_ARS_DB of this world: a SQLite file, or a PostgreSQL URL. */
  dbPath: string;
  db: Db;
  client: DsClient;
  demarche: SimDemarcheInfo;
  config: Config;
  demarcheConfig: DemarcheConfig;
  sync(): Promise<void>;
  clientWith(token: string): DsClient;
  ctx(options?: { client?: DsClient; instructeurEmail?: string; hooks?: ExecutorHooks }): ExecutorContext;
  /** Writes an evaluation (and its findings) for a dossier, at its current mirrored version. */
  evaluate(dossierNumber: number, evaluation: SeedEvaluation): Promise<void>;
  /** Live mirrored dossiers of the démarche, by state. */
  numbers(state?: string): Promise<number[]>;
  /** Successful mutations the simulator received, optionally for one operation. */
  mutations(operation?: string): RunningSimulator['stats']['mutations'];
  /** The dossier read back from the simulator over HTTP. */
  readBack(number: number): Promise<DossierNode>;
  annotationId(label: string): Promise<string>;
  close(): Promise<void>;
}

export async function createPushbackWorld(
  options: { seed?: number; dossiers?: number; instruction?: Partial<DemarcheConfig['instruction']>; dialect?: DialectName } = {},
): Promise<PushbackWorld> {
  const sim = await startSimulator({ seed: options.seed ?? 7, programmes: ['aumg'], dossiersPerDemarche: options.dossiers ?? 12 });
  const demarche = sim.demarches[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-pushback-'));
  const dbPath = options.dialect === 'postgres' ? await createTestDatabase() : join(dir, 'ds-ars.sqlite');
  const db = await openDatabase(dbPath);
  const clientWith = (token: string) =>
    new DsClient({
      url: sim.graphqlUrl,
      token,
      budget: new RequestBudget({ perMinute: 60_000, burst: 100 }),
      maxRetries: 1,
      baseDelayMs: 5,
    });
  const client = clientWith(sim.tokens.readWrite);
  const config = parseConfig(
    {
      demarches: [
        {
          number: demarche.number,
          programme: demarche.programme,
          instructeurEmail: demarche.instructeurEmails[0],
          session: { closingDate: demarche.session.closingDate },
          annotations: {
            synthese: { label: ANNOTATION_LABELS.synthese },
            complet: { label: ANNOTATION_LABELS.complet },
            eligibilite: { label: 'eligibilite' },
            dateControle: { label: ANNOTATION_LABELS.dateControle },
          },
          instruction: { enabled: true, messageIncomplets: true, disableNotification: false, ...options.instruction },
        },
      ],
    },
    'test',
  );
  const demarcheConfig = config.demarches[0]!;
  const world: PushbackWorld = {
    sim,
    dir,
    dbPath,
    db,
    client,
    demarche,
    config,
    demarcheConfig,
    clientWith,
    async sync() {
      const report = await runSync({ db, client }, { demarches: [demarche.number] });
      if (report.status !== 'ok') throw new Error(`sync failed: ${report.results.map((r) => r.error).join('; ')}`);
    },
    ctx(o = {}) {
      return {
        db,
        client: o.client ?? client,
        instructeurEmail: () => o.instructeurEmail ?? demarche.instructeurEmails[0],
        ...(o.hooks ? { hooks: o.hooks } : {}),
      };
    },
    async evaluate(number, e) {
      const row = await db
        .selectFrom('dossiers')
        .select(['date_derniere_modification'])
        .where('number', '=', number)
        .executeTakeFirstOrThrow();
      const version = row.date_derniere_modification;
      const at = e.evaluatedAt ?? new Date().toISOString();
      await db.deleteFrom('findings').where('dossier_number', '=', number).execute();
      await db.deleteFrom('evaluations').where('dossier_number', '=', number).execute();
      const findings = e.findings ?? [];
      await db
        .insertInto('evaluations')
        .values({
          dossier_number: number,
          demarche_number: demarche.number,
          rule_pack_version: 'test',
          config_hash: 'test',
          dossier_version: version,
          evaluated_at: at,
          complet: e.complet ? 1 : 0,
          eligible: e.eligible,
          bloquants: findings.filter((f) => f.severity === 'bloquant').length,
          alertes: findings.filter((f) => f.severity === 'alerte').length,
          infos: findings.filter((f) => f.severity === 'info').length,
        })
        .execute();
      for (const [position, f] of findings.entries()) {
        await db
          .insertInto('findings')
          .values({
            dossier_number: number,
            demarche_number: demarche.number,
            position,
            rule_id: f.ruleId,
            severity: f.severity,
            message: f.message,
            champ_label: f.champLabel ?? null,
            champ_value: null,
            rule_pack_version: 'test',
            config_hash: 'test',
            dossier_version: version,
            first_seen_at: at,
          })
          .execute();
      }
    },
    async numbers(state) {
      let q = db
        .selectFrom('dossiers')
        .select('number')
        .where('demarche_number', '=', demarche.number)
        .where('deleted_at', 'is', null)
        .where('pending_deletion', '=', 0);
      if (state) q = q.where('state', '=', state);
      return (await q.orderBy('number').execute()).map((r) => r.number);
    },
    mutations(operation) {
      return sim.stats.mutations.filter((m) => m.ok && (operation === undefined || m.operation === operation));
    },
    async readBack(number) {
      return (await client.request(GetDossierDocument, { number })).dossier;
    },
    async annotationId(label) {
      const row = await db
        .selectFrom('descriptors')
        .select('id')
        .where('scope', '=', 'annotation')
        .where('label', '=', label)
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async close() {
      await db.destroy();
      if (options.dialect === 'postgres') await dropTestDatabases();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.sync();
  return world;
}

/**
 * A configuration file for CLI runs against the world's démarche (annotations complet and
 * éligibilité configured); `overrides` replace fields of the démarche entry. Returns the path.
 */
export function writeCliConfig(
  w: PushbackWorld,
  path: string = join(w.dir, 'ds-ars.json'),
  overrides: Record<string, unknown> = {},
): string {
  writeFileSync(
    path,
    JSON.stringify({
      demarches: [
        {
          number: w.demarche.number,
          programme: w.demarche.programme,
          instructeurEmail: w.demarche.instructeurEmails[0],
          session: { closingDate: w.demarche.session.closingDate },
          annotations: { eligibilite: { label: ANNOTATION_LABELS.eligibilite }, complet: { label: ANNOTATION_LABELS.complet } },
          ...overrides,
        },
      ],
    }),
  );
  return path;
}
