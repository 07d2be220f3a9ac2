import type { DemarcheConfig } from '../config/file.schema.ts';
import { getProgramme } from '../domain/programmes/index.ts';
import type { Programme } from '../domain/programmes/types.ts';
import { type SessionParameters, sessionParameters } from './session-parameters.ts';

/** What rules know besides the candidature: the programme and this démarche's session settings. */
export interface RuleContext {
  readonly programme: Programme;
  /** The call's parameters, the seed's defaults applied where the configuration is silent. */
  readonly session: SessionParameters;
  readonly requiredPieces: readonly string[];
  /** Pieces that must be PDF: every piece champ, a list of semantic keys, or none. */
  readonly pdfPieces: 'all' | readonly string[] | 'none';
}

export function ruleContextFor(demarche: Pick<DemarcheConfig, 'programme' | 'session' | 'requiredPieces' | 'pdfOnly'>): RuleContext {
  const programme = getProgramme(demarche.programme);
  const pdfPieces =
    demarche.pdfOnly === undefined
      ? programme.pdfPieces
      : demarche.pdfOnly === true
        ? programme.pdfPieces === 'none'
          ? 'all'
          : programme.pdfPieces
        : demarche.pdfOnly === false
          ? 'none'
          : demarche.pdfOnly;
  return {
    programme,
    session: sessionParameters(programme.id, demarche.session),
    requiredPieces: demarche.requiredPieces ?? programme.requiredPieces,
    pdfPieces,
  };
}
