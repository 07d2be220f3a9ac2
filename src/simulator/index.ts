/**
 * DS simulator: a real HTTP GraphQL server on loopback serving the project's DS schema, stateful
 * and deterministic from a seed. Used by integration tests, `npm run demo` and the benchmarks.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { PROGRAMME_IDS, type ProgrammeId } from './model.ts';
import type { FormVariant } from './programmes.ts';
import { SimulatorState, type SimDemarcheInfo, type SimulatorStore } from './store.ts';
import { NO_FAULTS, type Faults } from './faults.ts';
import { listen, type SimulatorStats, type Tokens } from './server.ts';

export type { FormVariant, ProgrammeId, Faults, SimDemarcheInfo, SimulatorStore, SimulatorStats, Tokens };
export { PROGRAMME_IDS };

export interface SimulatorOptions {
  seed?: number;
  dossiersPerDemarche?: number;
  dossiers?: Partial<Record<ProgrammeId, number>>;
  programmes?: ProgrammeId[];
  /**
   * Form variants served as démarches of their own, after the programmes' (none by default, so
   * the five démarches and their counts stay as they are): `quotites_par_annee` is the ASR form
   * with its time split as one repetition row per year (démarche 131208).
   */
  variants?: FormVariant[];
  /** Dossiers of each variant's démarche (default: dossiers of its programme). */
  variantDossiers?: Partial<Record<FormVariant, number>>;
  port?: number;
  host?: string;
  rateLimitPerMinute?: number;
  faults?: Partial<Faults>;
  champsPerDossier?: number;
  /** Keys of private annotations made required (e.g. ['a_commentaire']): decisions are refused while one is empty, as DS does. */
  requiredAnnotations?: string[];
  now?: () => Date;
  /**
   * Keep the encoded answer of each read-only query (same text, variables and token scope)
   * until the state changes (any mutation, edit, label or clock move). For benchmarks: on a
   * small machine the simulator's own rendering competes with the client under test, while
   * DS's time is what the injected latency stands for. Off by default.
   */
  answerCache?: boolean;
}

export interface RunningSimulator {
  url: string;
  graphqlUrl: string;
  tokens: Tokens;
  demarches: SimDemarcheInfo[];
  store: SimulatorStore;
  stats: SimulatorStats;
  setFaults(f: Partial<Faults>): void;
  close(): Promise<void>;
}

/** DS tokens look like base64url("<uuid>;<secret>"); these are derived from the seed. */
function token(seed: number, kind: string): string {
  const hex = createHash('sha256').update(`ds-ars-simulator:${seed}:${kind}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return Buffer.from(`${uuid};${hex.slice(32, 64)}`).toString('base64url');
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = opts.seed ?? 1;
  const programmes = opts.programmes ?? [...PROGRAMME_IDS];
  const perDemarche = opts.dossiersPerDemarche ?? 60;
  const counts = Object.fromEntries(PROGRAMME_IDS.map((p) => [p, opts.dossiers?.[p] ?? perDemarche])) as Record<ProgrammeId, number>;
  const clock = opts.now ?? (() => new Date());
  const state = new SimulatorState({
    seed,
    programmes,
    counts,
    ...(opts.variants !== undefined ? { variants: opts.variants } : {}),
    ...(opts.variantDossiers !== undefined ? { variantCounts: opts.variantDossiers } : {}),
    ...(opts.champsPerDossier !== undefined ? { champsPerDossier: opts.champsPerDossier } : {}),
    ...(opts.requiredAnnotations !== undefined ? { requiredAnnotations: opts.requiredAnnotations } : {}),
    now: () => clock().getTime(),
  });
  const faults: Faults = { ...NO_FAULTS, ...opts.faults };
  const setFaults = (f: Partial<Faults>): Faults => Object.assign(faults, f);
  const stats: SimulatorStats = { requests: 0, byOperation: {}, mutations: [], rateLimited: 0, fileDownloads: 0, uploads: 0 };
  const tokens: Tokens = {
    readWrite: token(seed, 'read_write'),
    readOnly: token(seed, 'read_only'),
    otherScope: token(seed, 'other_scope'),
    expired: token(seed, 'expired'),
  };
  const secretOf = (kind: string): string => createHash('sha256').update(`ds-ars-simulator:${seed}:secret:${kind}`).digest('hex');
  const { server, url } = await listen(
    {
      state,
      stats,
      tokens,
      faults,
      secrets: { files: secretOf('files'), blobs: secretOf('blobs') },
      rateLimitPerMinute: opts.rateLimitPerMinute ?? 400,
      setFaults,
      answerCache: opts.answerCache ?? false,
    },
    opts.host ?? '127.0.0.1',
    opts.port ?? 0,
  );
  return {
    url,
    graphqlUrl: `${url}/api/v2/graphql`,
    tokens,
    demarches: state.info(),
    store: state,
    stats,
    setFaults: (f) => {
      setFaults(f);
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
