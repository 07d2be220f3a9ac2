import type { Rule } from '../finding.ts';
import { avisComplets } from './avis.ts';
import { champRequis, piecePdf, pieceRequise } from './completude.ts';
import { delaiDepot } from './delai.ts';
import { diplomesSiThese, zoneJustifiee } from './asap-eligibilite.ts';
import { desMg, postInternat, zone } from './aumg-eligibilite.ts';
import { finess, rpps, siret } from './identifiants.ts';
import { quotiteAsap, quotiteAsr } from './quotites.ts';
import { consentement } from './rgpd.ts';
import { session } from './session.ts';
import { theseDesAvantPrise } from './these-des.ts';

/** Rules reading one dossier, in catalogue order (PROGRAMMES.md). */
export const RULES: readonly Rule[] = [
  champRequis,
  pieceRequise,
  piecePdf,
  delaiDepot,
  finess,
  siret,
  rpps,
  desMg,
  postInternat,
  zone,
  theseDesAvantPrise,
  quotiteAsr,
  quotiteAsap,
  session,
  zoneJustifiee,
  diplomesSiThese,
  avisComplets,
  consentement,
];

/** Rules whose bloquant findings make a dossier incomplete (PROGRAMMES.md, "Verdicts"). */
export const COMPLETENESS_RULE_IDS: ReadonlySet<string> = new Set([
  champRequis.id,
  pieceRequise.id,
  piecePdf.id,
  avisComplets.id,
  consentement.id,
]);
