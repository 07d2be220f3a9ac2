import type { Config, DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { DECISIONS_SHEET, METADATA_SHEET } from '../reports/decisions-sheet.ts';
import { DECISIONS_HEADER_SPECS } from './decisions-columns.ts';
import { normalizeHeader } from './headers.ts';
import { readJustificatif } from './justificatif.ts';
import { parseDecisionsSheet } from './parse-decisions-sheet.ts';
import { loadDecisionFacts } from './decision-facts.ts';
import { type DecisionPlan, planDecisions } from './plan-decisions.ts';
import { type RawSheet, type RawWorkbook, readWorkbook } from './read-workbook.ts';
import { checkBinding, readBinding, type WorkbookBinding } from './workbook-binding.ts';

export interface DecisionsRequest {
  /** The reviewed jury workbook (.xlsx). */
  path: string;
  /** `--demarche`: refuse a workbook of any other démarche. */
  demarche?: number | undefined;
  /** `--ignore-changes`: decide even on dossiers changed in DS since the report. */
  ignoreChanges: boolean;
  /** `--accepter-contre-controle`: accept even where the check says incomplete or non éligible. */
  acceptContraryToCheck?: boolean;
}

export interface LoadedDecisions {
  source: string;
  binding: WorkbookBinding;
  demarche: DemarcheConfig;
  plan: DecisionPlan;
}

/**
 * Reads a reviewed workbook and plans its decisions against the mirror. Throws (exit 2) for a
 * file that cannot be applied at all: unreadable, not from `ds-ars report`, bound to another
 * démarche, or a démarche missing from the configuration. Row problems end up in the plan.
 */
export async function loadDecisions(db: Db, config: Config, request: DecisionsRequest): Promise<LoadedDecisions> {
  const wantedSheets = new Set([normalizeHeader(DECISIONS_SHEET), normalizeHeader(METADATA_SHEET)]);
  const workbook = await readWorkbook(request.path, (name) => wantedSheets.has(normalizeHeader(name)));
  const binding = readBinding(sheetNamed(workbook, METADATA_SHEET), request.path);
  await checkBinding(db, binding, request.path, request.demarche);
  const demarche = config.demarches.find((d) => d.number === binding.demarcheNumber);
  if (demarche === undefined) {
    throw new AppError(
      'config',
      `Le classeur ${request.path} appartient à la démarche ${binding.demarcheNumber}, absente du fichier de configuration ; ajoutez-la (section « demarches »).`,
    );
  }
  const parsed = parseDecisionsSheet(decisionsSheet(workbook, request.path), DECISIONS_HEADER_SPECS);
  const numbers = [...new Set(parsed.rows.map((r) => r.dossierNumber).filter((n): n is number => n !== null))];
  const mirror = await loadDecisionFacts(db, binding.demarcheNumber, numbers);
  const settings = demarche.decisions;
  const plan = planDecisions(parsed, binding.demarcheNumber, mirror, {
    passerEnInstruction: settings.passerEnInstruction,
    disableNotification: settings.disableNotification,
    justificatif: settings.justificatif === null ? null : await readJustificatif(settings.justificatif, demarche.number),
    ignoreChanges: request.ignoreChanges,
    acceptContraryToCheck: request.acceptContraryToCheck ?? false,
    reportedAt: binding.generatedAt,
  });
  return { source: request.path, binding, demarche, plan };
}

/** A sheet by name, also found when its name was retyped ("decisions", "DÉCISIONS "). */
function sheetNamed(workbook: RawWorkbook, name: string): RawSheet | undefined {
  const wanted = normalizeHeader(name);
  return workbook.sheets.get(name) ?? [...workbook.sheets.values()].find((s) => normalizeHeader(s.name) === wanted);
}

function decisionsSheet(workbook: RawWorkbook, path: string): RawSheet {
  const found = sheetNamed(workbook, DECISIONS_SHEET);
  if (found !== undefined) return found;
  throw new AppError(
    'workbook',
    `Classeur refusé (${path}) : feuille « ${DECISIONS_SHEET} » introuvable ; ne renommez pas la feuille du classeur produit par « ds-ars report ».`,
  );
}
