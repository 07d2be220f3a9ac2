import type { DossierRow } from '../db/tables/mirror.table.ts';
import type { DossierState, Justificatif, Operation, PlanItem } from '../pushback/plan.ts';
import { frenchDateTimeOrUnknown } from '../shared/french-format.ts';
import { emptyRequiredText } from '../pushback/required-annotations.ts';
import { STATE_LABELS } from '../pushback/state-guard.ts';
import { type Decision, DECISION_LABELS, type DecisionRow, type RowField } from './decision-row.schema.ts';

/** What the plan needs to know of a dossier, from the mirror. */
export type MirrorDossier = Pick<
  DossierRow,
  'number' | 'id' | 'demarche_number' | 'state' | 'date_derniere_modification_champs' | 'deleted_at'
>;

/** The stored result of `ds-ars check` for a dossier. */
export interface CheckFacts {
  complet: boolean;
  eligible: 'oui' | 'non' | 'a_verifier';
  evaluatedAt: string;
  /** The first blocking findings, in order. */
  causes: string[];
}

/** Everything the plan knows of a dossier (see decision-facts.ts): mirror, journal, check, form. */
export interface DossierFacts extends MirrorDossier {
  /** The state ds-ars led the dossier to since the mirror last saw it (journal), or null. */
  journalState: { state: DossierState; at: string } | null;
  check: CheckFacts | null;
  /** A correction asked of the usager is still open: DS refuses to pass the dossier en instruction. */
  pendingCorrection: boolean;
  /** Labels of the required private annotations still empty: DS refuses any decision. */
  emptyRequiredAnnotations: string[];
}

export interface ColumnRef {
  header: string;
  /** Excel column letter, e.g. "C". */
  letter: string;
}

/** One line of the Décisions sheet after validation (see parse-decisions-sheet.ts). */
export interface ParsedRow {
  rowNumber: number;
  /** As read, even when the row is invalid, so duplicates and results can name it. */
  dossierNumber: number | null;
  decisionText: string;
  motivationText: string;
  /** null when the row is invalid or has no decision. */
  row: DecisionRow | null;
  /** Located French messages (sheet, row, column). */
  errors: string[];
  /** Non-blocking remarks, e.g. a motivation without a decision. */
  notes: string[];
}

export interface ParsedSheet {
  name: string;
  columns: Partial<Record<RowField, ColumnRef>>;
  rows: ParsedRow[];
}

export interface DecisionOptions {
  /** Config `decisions.passerEnInstruction`: pass a dossier still en construction into instruction first. */
  passerEnInstruction: boolean;
  disableNotification: boolean;
  justificatif: Justificatif | null;
  /** `--ignore-changes`: decide even when the dossier changed in DS since the report. */
  ignoreChanges: boolean;
  /** `--accepter-contre-controle`: accept even where the check says incomplete or non éligible. */
  acceptContraryToCheck: boolean;
  /** When the workbook was produced (its metadata), shown in « modifié dans DS depuis le contrôle du … ». */
  reportedAt: string | null;
}

/**
 * - a_faire: mutations to send; deja_fait: the dossier is already in the decided state;
 * - bloque: refused by a state or version check; erreur: the row itself is wrong;
 * - vide: no decision on the row.
 */
export type LineStatus = 'a_faire' | 'deja_fait' | 'bloque' | 'erreur' | 'vide';

export interface PlanLine {
  sheet: string;
  rowNumber: number;
  dossierNumber: number | null;
  decision: Decision | null;
  /** The decision cell as written, for lines whose decision could not be read. */
  decisionText: string;
  motivation: string | null;
  /** The dossier's state in the mirror, when known. */
  currentState: DossierState | null;
  status: LineStatus;
  /** Mutations this line sends, in order. */
  operations: Operation[];
  /** Located French messages: why the line is blocked or wrong, or remarks. */
  messages: string[];
  /** « décision contraire au contrôle : <causes> » when the decision goes against the stored check. */
  contraryToCheck: string | null;
}

export interface DecisionPlan {
  demarcheNumber: number;
  lines: PlanLine[];
  /** Every mutation to send, in sheet order; a dossier's passage en instruction comes before its decision. */
  items: PlanItem[];
}

const TARGET_STATE: Record<Decision, DossierState> = { accepter: 'accepte', refuser: 'refuse', classerSansSuite: 'sans_suite' };
const TERMINAL: readonly DossierState[] = ['accepte', 'refuse', 'sans_suite'];

/** "Feuille « Décisions », ligne 12, colonne « Décision » (C)": where a message points to. */
export function locate(sheet: string, rowNumber: number, column: ColumnRef | undefined): string {
  const at = `Feuille « ${sheet} », ligne ${rowNumber}`;
  return column === undefined ? at : `${at}, colonne « ${column.header} » (${column.letter})`;
}

function asState(value: string): DossierState | null {
  return Object.hasOwn(STATE_LABELS, value) ? (value as DossierState) : null;
}

/**
 * Turns the validated rows and the mirror into a plan. Pure: nothing is read or sent here.
 * Every row gets exactly one line; a row that is wrong never yields a mutation.
 */
export function planDecisions(
  sheet: ParsedSheet,
  demarcheNumber: number,
  mirror: ReadonlyMap<number, DossierFacts>,
  options: DecisionOptions,
): DecisionPlan {
  const at = (rowNumber: number, field?: RowField) => locate(sheet.name, rowNumber, field === undefined ? undefined : sheet.columns[field]);
  const duplicates = findDuplicates(sheet.rows);
  const lines: PlanLine[] = [];
  const items: PlanItem[] = [];

  for (const parsed of sheet.rows) {
    const dossier = parsed.dossierNumber === null ? undefined : mirror.get(parsed.dossierNumber);
    const line: PlanLine = {
      sheet: sheet.name,
      rowNumber: parsed.rowNumber,
      dossierNumber: parsed.dossierNumber,
      decision: parsed.row?.decision ?? null,
      decisionText: parsed.decisionText,
      motivation: parsed.row?.motivation ?? (parsed.motivationText.trim() || null),
      // What ds-ars sent since the last sync counts: plan and apply read the same facts.
      currentState: dossier === undefined ? null : (dossier.journalState?.state ?? asState(dossier.state)),
      status: 'vide',
      operations: [],
      messages: [...parsed.notes],
      contraryToCheck: null,
    };
    lines.push(line);
    const fail = (status: 'erreur' | 'bloque', message: string) => {
      line.status = status;
      line.messages.push(message);
    };

    if (parsed.errors.length > 0) {
      line.status = 'erreur';
      line.messages.push(...parsed.errors);
      continue;
    }
    const row = parsed.row;
    if (row === null || row.decision === null) continue;
    const decision = row.decision;
    const number = row.dossierNumber;

    const others = duplicates.get(number);
    if (others !== undefined) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'dossierNumber')} : le dossier n° ${number} a une décision sur plusieurs lignes (lignes ${others.join(', ')}) ; gardez-en une seule.`,
      );
      continue;
    }
    if (row.demarcheNumber !== null && row.demarcheNumber !== demarcheNumber) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'demarcheNumber')} : ligne d’un classeur de la démarche ${row.demarcheNumber}, pas de la démarche ${demarcheNumber} ; ne copiez pas de lignes d’un classeur à l’autre.`,
      );
      continue;
    }
    if (dossier === undefined) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'dossierNumber')} : dossier n° ${number} inconnu ; vérifiez le numéro ou lancez « ds-ars sync ».`,
      );
      continue;
    }
    if (dossier.demarche_number !== demarcheNumber) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'dossierNumber')} : le dossier n° ${number} appartient à la démarche ${dossier.demarche_number}, pas à la démarche ${demarcheNumber} de ce classeur.`,
      );
      continue;
    }
    if (dossier.deleted_at !== null) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'dossierNumber')} : le dossier n° ${number} a été supprimé dans DS ; aucune décision possible.`,
      );
      continue;
    }
    if (row.dossierId !== null && row.dossierId !== dossier.id) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'dossierId')} : l’identifiant technique ne correspond pas au dossier n° ${number} (colonnes masquées modifiées ?) ; refaites le rapport.`,
      );
      continue;
    }
    const current = line.currentState;
    if (current === null) {
      fail(
        'erreur',
        `${at(parsed.rowNumber, 'dossierNumber')} : état « ${dossier.state} » du dossier n° ${number} inconnu ; lancez « ds-ars sync ».`,
      );
      continue;
    }

    const target = TARGET_STATE[decision];
    // Checked before the version: a rerun after our own writes must be harmless.
    if (current === target) {
      line.status = 'deja_fait';
      const sent =
        dossier.journalState === null
          ? ''
          : ` (décision envoyée par ds-ars le ${frenchDateTimeOrUnknown(dossier.journalState.at)}, pas encore resynchronisée)`;
      line.messages.push(`${at(parsed.rowNumber, 'decision')} : dossier n° ${number} déjà ${STATE_LABELS[current]}${sent} : rien à faire.`);
      continue;
    }
    if (TERMINAL.includes(current)) {
      fail(
        'bloque',
        `${at(parsed.rowNumber, 'decision')} : dossier n° ${number} déjà ${STATE_LABELS[current]} : repasser en instruction d’abord dans DS pour pouvoir ${verb(decision)}.`,
      );
      continue;
    }

    const change = versionChange(row, dossier, current);
    if (change !== null) {
      if (!options.ignoreChanges) {
        fail(
          'bloque',
          `${at(parsed.rowNumber, 'dossierNumber')} : ${change} ; relisez le dossier et refaites le rapport, ou relancez avec --ignore-changes.`,
        );
        continue;
      }
      line.messages.push(`${at(parsed.rowNumber, 'dossierNumber')} : ${change} (ignoré : --ignore-changes).`);
    }

    const contrary = contraryToCheck(decision, dossier.check);
    if (contrary !== null) {
      line.contraryToCheck = contrary;
      if (decision === 'accepter') {
        const forcedBy = row.forcer ? 'cellule « Forcer »' : options.acceptContraryToCheck ? '--accepter-contre-controle' : null;
        if (forcedBy === null) {
          fail(
            'bloque',
            `${at(parsed.rowNumber, 'decision')} : ${contrary} ; pour accepter quand même, écrivez « Oui » dans la colonne « Forcer » de cette ligne, ou relancez avec --accepter-contre-controle.`,
          );
          continue;
        }
        line.messages.push(`${at(parsed.rowNumber, 'decision')} : ${contrary} (forcée : ${forcedBy}).`);
      } else {
        line.messages.push(`${at(parsed.rowNumber, 'decision')} : ${contrary} (avertissement).`);
      }
    }
    if (current === 'en_construction' && dossier.pendingCorrection) {
      fail(
        'bloque',
        `${at(parsed.rowNumber, 'decision')} : dossier n° ${number} en attente de correction : DS refuse de le passer en instruction tant que l’usager n’a pas corrigé son dossier ; attendez la correction (puis « ds-ars sync ») ou annulez la demande dans DS.`,
      );
      continue;
    }
    if (dossier.emptyRequiredAnnotations.length > 0) {
      fail(
        'bloque',
        `${at(parsed.rowNumber, 'decision')} : dossier n° ${number} : ${emptyRequiredText(dossier.emptyRequiredAnnotations)} ; DS refuse toute décision tant qu’elle n’est pas remplie. Remplissez-la dans DS, lancez « ds-ars sync », puis relancez.`,
      );
      continue;
    }

    const reason = `Décision du jury (feuille « ${sheet.name} », ligne ${parsed.rowNumber}) : ${DECISION_LABELS[decision]}`;
    // The version the jury decided on; a newer one in DS blocks the line just before sending.
    const seen = change === null && row.champsModifiedAt !== null ? row.champsModifiedAt : dossier.date_derniere_modification_champs;
    const version = { champsModifiedAt: seen, since: options.reportedAt ?? seen };
    const base = { demarcheNumber, dossierNumber: number, dossierId: dossier.id, version };
    if (current === 'en_construction') {
      if (!options.passerEnInstruction) {
        fail(
          'bloque',
          `${at(parsed.rowNumber, 'decision')} : dossier n° ${number} encore en construction : passez-le en instruction dans DS, ou autorisez « decisions.passerEnInstruction » dans la configuration.`,
        );
        continue;
      }
      items.push({
        ...base,
        operation: 'passerEnInstruction',
        expectedStates: ['en_construction'],
        reason: `${reason} (passage en instruction préalable)`,
        payload: { disableNotification: options.disableNotification },
      });
      line.operations.push('passerEnInstruction');
    }
    items.push(decisionItem(decision, base, reason, row.motivation, options));
    line.operations.push(decision);
    line.status = 'a_faire';
  }
  return { demarcheNumber, lines, items };
}

/**
 * « décision contraire au contrôle : … » when the decision goes against the stored check, or null:
 * accepting a dossier the check finds incomplete or non éligible, refusing one it finds complete
 * and éligible. « à vérifier » contradicts nothing.
 */
function contraryToCheck(decision: Decision, check: CheckFacts | null): string | null {
  if (check === null) return null;
  let verdicts: string[];
  if (decision === 'accepter') {
    verdicts = [...(check.complet ? [] : ['dossier incomplet']), ...(check.eligible === 'non' ? ['non éligible'] : [])];
  } else if (decision === 'refuser') {
    verdicts = check.complet && check.eligible === 'oui' ? ['dossier complet et éligible'] : [];
  } else {
    return null;
  }
  if (verdicts.length === 0) return null;
  const causes = decision === 'accepter' && check.causes.length > 0 ? ` (${check.causes.join(' ; ')})` : '';
  return `décision contraire au contrôle : ${verdicts.join(', ')}${causes}`;
}

function verb(decision: Decision): string {
  return decision === 'accepter' ? 'l’accepter' : decision === 'refuser' ? 'le refuser' : 'le classer sans suite';
}

function decisionItem(
  decision: Decision,
  base: { demarcheNumber: number; dossierNumber: number; dossierId: string },
  reason: string,
  motivation: string | null,
  options: DecisionOptions,
): PlanItem {
  const common = { ...base, expectedStates: ['en_instruction'] as DossierState[], reason };
  const extra = {
    disableNotification: options.disableNotification,
    ...(options.justificatif === null ? {} : { justificatif: options.justificatif }),
  };
  if (decision === 'accepter')
    return { ...common, operation: 'accepter', payload: { ...(motivation === null ? {} : { motivation }), ...extra } };
  // The schema guarantees a motivation for these two; DS requires it (NOTES.md §3).
  return { ...common, operation: decision, payload: { motivation: motivation ?? '', ...extra } };
}

/**
 * What changed since the jury saw the dossier, in French, or null. Any change of the champs
 * counts. A state change counts unless it moved along the decision's own path
 * (en construction → en instruction), which a previous run of this command may have done.
 */
function versionChange(row: DecisionRow, dossier: MirrorDossier, current: DossierState): string | null {
  if (row.champsModifiedAt === null || row.stateSeen === null) {
    return 'version du dossier vue par le jury inconnue (colonnes techniques masquées vides)';
  }
  if (Date.parse(row.champsModifiedAt) !== Date.parse(dossier.date_derniere_modification_champs)) {
    return `dossier n° ${dossier.number} modifié dans DS depuis le rapport (champs modifiés le ${frenchDateTimeOrUnknown(dossier.date_derniere_modification_champs)})`;
  }
  if (row.stateSeen !== current && !(row.stateSeen === 'en_construction' && current === 'en_instruction')) {
    return `état du dossier n° ${dossier.number} changé dans DS depuis le rapport (vu ${STATE_LABELS[row.stateSeen]}, maintenant ${STATE_LABELS[current]})`;
  }
  return null;
}

/** Dossiers with a decision on more than one row → the row numbers of all those rows. */
function findDuplicates(rows: readonly ParsedRow[]): Map<number, number[]> {
  const byDossier = new Map<number, number[]>();
  for (const row of rows) {
    if (row.dossierNumber === null || row.decisionText.trim() === '') continue;
    const list = byDossier.get(row.dossierNumber) ?? [];
    list.push(row.rowNumber);
    byDossier.set(row.dossierNumber, list);
  }
  for (const [number, list] of byDossier) if (list.length < 2) byDossier.delete(number);
  return byDossier;
}
