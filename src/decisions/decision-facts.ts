/**
 * What the decisions plan knows of each dossier, read once from the local base: the mirror, the
 * journal of what ds-ars already sent since the last sync, the stored check, the required
 * private annotations. `decisions plan` and `decisions apply` both plan from these same facts,
 * so they always say the same thing.
 */
import type { Db } from '../db/database.ts';
import type { DossierNode } from '../graphql/answers.ts';
import { dossierViewFromNode } from '../pushback/dossier-view.ts';
import type { DossierState, Operation } from '../pushback/plan.ts';
import { emptyRequiredAnnotations, loadRequiredAnnotations } from '../pushback/required-annotations.ts';
import { TARGET_STATE } from '../pushback/state-guard.ts';
import type { DossierFacts } from './plan-decisions.ts';

// SQLite bounds the number of parameters of one statement.
const CHUNK = 500;
const STATE_CHANGES = Object.keys(TARGET_STATE) as Operation[];
/** Causes quoted in « décision contraire au contrôle » (the first blocking findings). */
const MAX_CAUSES = 3;

export async function loadDecisionFacts(db: Db, demarcheNumber: number, numbers: readonly number[]): Promise<Map<number, DossierFacts>> {
  const required = await loadRequiredAnnotations(db, demarcheNumber);
  const found = new Map<number, DossierFacts>();
  for (let i = 0; i < numbers.length; i += CHUNK) {
    const slice = numbers.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('dossiers')
      .select(['number', 'id', 'demarche_number', 'state', 'date_derniere_modification_champs', 'deleted_at', 'synced_at', 'raw_json'])
      .where('number', 'in', slice)
      .execute();
    const evaluations = await db
      .selectFrom('evaluations')
      .select(['dossier_number', 'complet', 'eligible', 'evaluated_at', 'dossier_version'])
      .where('dossier_number', 'in', slice)
      .execute();
    const findings = await db
      .selectFrom('findings')
      .select(['dossier_number', 'message', 'dossier_version'])
      .where('dossier_number', 'in', slice)
      .where('severity', '=', 'bloquant')
      .orderBy('dossier_number')
      .orderBy('position')
      .execute();
    const sent = await db
      .selectFrom('mutation_journal')
      .select(['dossier_number', 'operation', 'finished_at', 'sent_at'])
      .where('dossier_number', 'in', slice)
      .where('status', '=', 'sent')
      .where('operation', 'in', STATE_CHANGES)
      .execute();

    const evaluationOf = new Map(evaluations.map((e) => [e.dossier_number, e]));
    const findingsOf = groupBy(findings);
    const sentOf = groupBy(sent);
    for (const row of rows) {
      const node = JSON.parse(row.raw_json) as DossierNode;
      const view = dossierViewFromNode(node, 'mirror');
      const evaluation = evaluationOf.get(row.number);
      // Sent after the mirror last saw the dossier: DS is already past what the mirror shows.
      const latest = (sentOf.get(row.number) ?? [])
        .filter((s) => (s.finished_at ?? s.sent_at ?? '') > row.synced_at)
        .sort((a, b) => ((a.finished_at ?? a.sent_at ?? '') < (b.finished_at ?? b.sent_at ?? '') ? -1 : 1))
        .at(-1);
      const target = latest === undefined ? undefined : TARGET_STATE[latest.operation as Operation];
      found.set(row.number, {
        number: row.number,
        id: row.id,
        demarche_number: row.demarche_number,
        state: row.state,
        date_derniere_modification_champs: row.date_derniere_modification_champs,
        deleted_at: row.deleted_at,
        journalState: target === undefined ? null : { state: target as DossierState, at: latest!.finished_at ?? latest!.sent_at ?? '' },
        check:
          evaluation === undefined
            ? null
            : {
                complet: evaluation.complet === 1,
                eligible: evaluation.eligible,
                evaluatedAt: evaluation.evaluated_at,
                causes: (findingsOf.get(row.number) ?? [])
                  .filter((f) => f.dossier_version === evaluation.dossier_version)
                  .slice(0, MAX_CAUSES)
                  .map((f) => f.message.trim()),
              },
        pendingCorrection: view.pendingCorrection,
        emptyRequiredAnnotations: row.demarche_number === demarcheNumber ? emptyRequiredAnnotations(required, view.annotations) : [],
      });
    }
  }
  return found;
}

function groupBy<T extends { dossier_number: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.dossier_number);
    if (list) list.push(row);
    else out.set(row.dossier_number, [row]);
  }
  return out;
}
