import type { Db } from '../../db/database.ts';
import { dossierUrl } from '../dossier-url.ts';
import { frenchDate } from '../../shared/french-format.ts';
import { parisDateTime } from '../../shared/paris-time.ts';
import { candidateName } from '../report-columns.ts';
import { loadReportData, type DossierReportRow, type ReportDemarche } from '../report-data.ts';
import { plural } from '../../shared/plural.ts';

/** What was known when the previous digest was sent: the baseline for "new" and "became complete". */
export interface DigestSnapshot {
  known: number[];
  complets: number[];
}

/** The span a digest covers: since the previous sent digest (or the beginning) until now. */
export interface DigestPeriod {
  /** Paris day, 'YYYY-MM-DD': one digest per day. */
  key: string;
  since: string | null;
  until: string;
}

/** A dossier as the mail names it: number, candidate, link. Nothing else (RGPD). */
export interface DossierRef {
  number: number;
  name: string;
  url: string;
}

export interface BlockingRef extends DossierRef {
  ruleId: string;
  message: string;
}

export interface DemarcheDigest {
  number: number;
  title: string;
  /** « Contrôles non effectués » for the whole démarche (rule and why). */
  unchecked: readonly string[];
  totals: {
    live: number;
    enConstruction: number;
    enInstruction: number;
    decided: number;
    accepte: number;
    refuse: number;
    sansSuite: number;
    complets: number;
    eligibles: number;
    aVerifier: number;
    nonEligibles: number;
    nonEvalues: number;
  };
  newDossiers: DossierRef[];
  becameComplete: DossierRef[];
  newBlocking: BlockingRef[];
  deleted: DossierRef[];
  awaitingDecision: DossierRef[];
}

export interface DigestProblem {
  level: 'erreur' | 'avertissement';
  text: string;
}

export interface DigestContent {
  period: DigestPeriod;
  /** True for the first digest: no baseline, so nothing is called "new" or "devenu complet". */
  first: boolean;
  demarches: DemarcheDigest[];
  problems: DigestProblem[];
  /** To be stored with the digest once sent. */
  snapshot: DigestSnapshot;
}

export interface CollectDigestOptions {
  demarches: readonly ReportDemarche[];
  uiBaseUrl: string;
  period: DigestPeriod;
  previous: DigestSnapshot | null;
  /** Expiry date of the DS token ('YYYY-MM-DD') when the configuration knows it. */
  tokenExpiresOn?: string | null | undefined;
  /** Extra problems found by the caller (e.g. a previous digest left 'sending'). */
  problems?: DigestProblem[];
  now: Date;
}

/** A token expiring within this many days is announced. */
export const TOKEN_WARNING_DAYS = 14;

const DAY_MS = 86_400_000;

function inPeriod(iso: string | null, period: DigestPeriod): boolean {
  return iso !== null && (period.since === null || iso > period.since) && iso <= period.until;
}

function ref(row: DossierReportRow, demarche: number, uiBaseUrl: string): DossierRef {
  const { nom, prenom } = candidateName(row);
  return { number: row.number, name: [prenom, nom].filter((t) => t !== '').join(' '), url: dossierUrl(uiBaseUrl, demarche, row.number) };
}

async function demarcheDigest(
  db: Db,
  demarche: ReportDemarche,
  options: CollectDigestOptions,
): Promise<{ digest: DemarcheDigest; snapshot: DigestSnapshot }> {
  const { period, previous, uiBaseUrl } = options;
  const data = await loadReportData(db, demarche);
  const toRef = (row: DossierReportRow) => ref(row, demarche.number, uiBaseUrl);
  const known = new Set(previous?.known ?? []);
  const complets = new Set(previous?.complets ?? []);
  const byNumber = new Map(data.dossiers.map((d) => [d.number, d]));

  const newBlocking = (
    await db
      .selectFrom('findings')
      .select(['dossier_number', 'rule_id', 'message', 'first_seen_at'])
      .where('demarche_number', '=', demarche.number)
      .where('severity', '=', 'bloquant')
      .$if(period.since !== null, (q) => q.where('first_seen_at', '>', period.since ?? ''))
      .where('first_seen_at', '<=', period.until)
      .orderBy('dossier_number')
      .orderBy('position')
      .execute()
  ).flatMap((f) => {
    const row = byNumber.get(f.dossier_number);
    return row ? [{ ...toRef(row), ruleId: f.rule_id, message: f.message }] : [];
  });

  const deleted = await db
    .selectFrom('dossiers')
    .select('number')
    .where('demarche_number', '=', demarche.number)
    .$if(period.since !== null, (q) => q.where('deleted_at', '>', period.since ?? ''))
    .where('deleted_at', '<=', period.until)
    .orderBy('number')
    .execute();

  const live = data.dossiers;
  const snapshot: DigestSnapshot = {
    known: live.map((d) => d.number),
    complets: live.filter((d) => d.evaluation?.complet === true).map((d) => d.number),
  };
  const digest: DemarcheDigest = {
    number: demarche.number,
    title: demarche.libelle ?? data.title ?? `Démarche ${demarche.number}`,
    unchecked: demarche.unchecked ?? [],
    totals: {
      live: live.length,
      enConstruction: live.filter((d) => d.state === 'en_construction').length,
      enInstruction: live.filter((d) => d.state === 'en_instruction').length,
      decided: live.filter((d) => d.state === 'accepte' || d.state === 'refuse' || d.state === 'sans_suite').length,
      accepte: live.filter((d) => d.state === 'accepte').length,
      refuse: live.filter((d) => d.state === 'refuse').length,
      sansSuite: live.filter((d) => d.state === 'sans_suite').length,
      complets: live.filter((d) => d.evaluation?.complet === true).length,
      eligibles: live.filter((d) => d.evaluation?.eligible === 'oui').length,
      aVerifier: live.filter((d) => d.evaluation?.eligible === 'a_verifier').length,
      nonEligibles: live.filter((d) => d.evaluation?.eligible === 'non').length,
      nonEvalues: live.filter((d) => !d.evaluation).length,
    },
    newDossiers: previous
      ? live.filter((d) => !known.has(d.number)).map(toRef)
      : live.filter((d) => inPeriod(d.dateDepot, period)).map(toRef),
    becameComplete: previous
      ? live.filter((d) => d.evaluation?.complet === true && known.has(d.number) && !complets.has(d.number)).map(toRef)
      : [],
    newBlocking,
    deleted: deleted.map((d) => ({ number: d.number, name: '', url: dossierUrl(uiBaseUrl, demarche.number, d.number) })),
    awaitingDecision: live.filter((d) => d.state === 'en_instruction').map(toRef),
  };
  return { digest, snapshot };
}

const RUN_STATUS: Readonly<Record<string, string>> = { failed: 'échec', partial: 'partielle', interrupted: 'interrompue' };

/** Sync runs and pipeline steps of the period that failed or stopped short, and the token's expiry. */
async function problems(db: Db, options: CollectDigestOptions): Promise<DigestProblem[]> {
  const { period, now } = options;
  const since = period.since ?? new Date(now.getTime() - DAY_MS).toISOString();
  const found: DigestProblem[] = [...(options.problems ?? [])];

  const runs = await db
    .selectFrom('sync_runs')
    .select(['demarche_number', 'status', 'started_at', 'errors', 'files_failed', 'error_message'])
    .where('started_at', '>', since)
    .where('started_at', '<=', period.until)
    .where((eb) => eb.or([eb('status', 'in', ['failed', 'partial', 'interrupted']), eb('errors', '>', 0), eb('files_failed', '>', 0)]))
    .orderBy('started_at')
    .execute();
  for (const run of runs) {
    const details = [
      run.errors > 0 ? plural(run.errors, 'erreur') : null,
      run.files_failed > 0 ? plural(run.files_failed, 'fichier non téléchargé', 'fichiers non téléchargés') : null,
      run.error_message,
    ].filter((t): t is string => t !== null && t !== '');
    found.push({
      level: run.status === 'failed' || run.status === 'interrupted' ? 'erreur' : 'avertissement',
      text: `Synchronisation de la démarche ${run.demarche_number} du ${parisDateTime(run.started_at)} : ${RUN_STATUS[run.status] ?? run.status}${details.length ? ` (${details.join(' ; ')})` : ''}.`,
    });
  }

  const steps = await db
    .selectFrom('pipeline_runs')
    .select(['demarche_number', 'step', 'status', 'started_at', 'error_message'])
    .where('started_at', '>', since)
    .where('started_at', '<=', period.until)
    .where('status', 'in', ['failed', 'partial', 'interrupted'])
    .where('step', '!=', 'digest')
    .orderBy('started_at')
    .execute();
  for (const step of steps) {
    const where = step.demarche_number === null ? '' : ` (démarche ${step.demarche_number})`;
    found.push({
      level: step.status === 'partial' ? 'avertissement' : 'erreur',
      text: `Étape « ${step.step} »${where} du ${parisDateTime(step.started_at)} : ${RUN_STATUS[step.status] ?? step.status}${step.error_message ? ` – ${step.error_message}` : ''}.`,
    });
  }

  if (options.tokenExpiresOn) {
    const days = Math.round((Date.parse(`${options.tokenExpiresOn}T00:00:00Z`) - Date.parse(`${period.key}T00:00:00Z`)) / DAY_MS);
    if (days < 0) {
      found.push({
        level: 'erreur',
        text: `Le jeton d’API DS a expiré le ${frenchDate(options.tokenExpiresOn)} : créez-en un nouveau dans démarches-simplifiées (« Jetons d’API ») et mettez à jour la configuration.`,
      });
    } else if (days <= TOKEN_WARNING_DAYS) {
      found.push({
        level: 'avertissement',
        text: `Le jeton d’API DS expire le ${frenchDate(options.tokenExpiresOn)} (dans ${days} jour${days > 1 ? 's' : ''}) : pensez à le renouveler.`,
      });
    }
  }
  return found;
}

/** Everything the digest mail says, read from the mirror, evaluations, findings and run journals. */
export async function collectDigest(db: Db, options: CollectDigestOptions): Promise<DigestContent> {
  const demarches: DemarcheDigest[] = [];
  const snapshot: DigestSnapshot = { known: [], complets: [] };
  for (const demarche of options.demarches) {
    const part = await demarcheDigest(db, demarche, options);
    demarches.push(part.digest);
    snapshot.known.push(...part.snapshot.known);
    snapshot.complets.push(...part.snapshot.complets);
  }
  return { period: options.period, first: options.previous === null, demarches, problems: await problems(db, options), snapshot };
}
