import type { Config, DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { ruleContextFor } from '../rules/context.ts';
import { descriptorsFromRows } from '../rules/mapping/descriptors.ts';
import { resolveMapping, type MappingProblem } from '../rules/mapping/resolve-mapping.ts';
import { sessionParameterLines } from '../rules/session-parameters.ts';
import { uncheckedLine, uncheckedRulesOf } from '../rules/unchecked.ts';
import { getDescriptors } from '../mirror/mirror.repository.ts';
import type { ReportDemarche } from './report-data.ts';

export interface ResolvedReportDemarche {
  demarche: ReportDemarche;
  /** Mapped fields the report cannot show (label not found…): reported, not fatal. */
  problems: MappingProblem[];
}

/** A configured démarche with its mapping resolved against the mirrored form (champs and annotations). */
export async function reportDemarche(db: Db, config: DemarcheConfig): Promise<ResolvedReportDemarche> {
  const { mapping, problems } = resolveMapping(config.mapping, descriptorsFromRows(await getDescriptors(db, config.number)));
  const ctx = ruleContextFor(config);
  return {
    demarche: {
      number: config.number,
      programme: config.programme,
      libelle: config.libelle,
      session: config.session,
      mapping: Object.fromEntries([...mapping.fields].map(([key, champ]) => [key, champ.descriptorId])),
      unchecked: uncheckedRulesOf(ctx, mapping).map(uncheckedLine),
      sessionParameters: sessionParameterLines(config.programme, ctx.session),
    },
    problems,
  };
}

/** The démarches a command works on: all configured ones, or those asked for (each must be configured). */
export function selectDemarches(config: Config, wanted: readonly number[] | undefined): DemarcheConfig[] {
  if (!wanted || wanted.length === 0) return config.demarches;
  return wanted.map((number) => {
    const found = config.demarches.find((d) => d.number === number);
    if (!found) {
      throw new AppError(
        'usage',
        `La démarche ${number} n’est pas dans la configuration (démarches configurées : ${config.demarches.map((d) => d.number).join(', ')}).`,
      );
    }
    return found;
  });
}

/** Link base for dossiers: the configured UI, else the DS instance the API URL points to. */
export function uiBaseUrl(config: Config, apiUrl: string): string {
  if (config.instance.uiBaseUrl) return config.instance.uiBaseUrl;
  return new URL(apiUrl).origin;
}
