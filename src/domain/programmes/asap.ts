import { avisFields, FIELDS as F, optional, required } from './fields.ts';
import type { FieldSpec, Programme } from './types.ts';

/** The avis of the ASAP form, pages 9 to 13 (seed 004_cfe1d3a8f9f01ae4.txt). */
export const ASAP_AVIS: ReadonlyArray<[FieldSpec, FieldSpec]> = [
  avisFields('avis.coordonnateur', 'coordonnateur de la spécialité', [
    'coordonnateur régional de la spécialité',
    'coordonnateur local de la spécialité',
    'coordonnateur',
  ]),
  avisFields('avis.chef_service_ambulatoire', 'chef de service de la structure ambulatoire'),
  avisFields('avis.chef_service_hospitalier', 'chef de service de l’établissement hospitalier', ['chef de service hospitalier']),
  avisFields('avis.directeur_ambulatoire', 'directeur de la structure ambulatoire'),
  avisFields('avis.directeur_hospitalier', 'directeur de l’établissement hospitalier', ['directeur hospitalier']),
];

/** Assistant spécialiste ambulatoire partagé, ARS Normandie (seed 004_cfe1d3a8f9f01ae4.txt). */
export const asap: Programme = {
  id: 'asap',
  title: 'Assistants spécialistes ambulatoires partagés (ASAP)',
  region: 'Normandie',
  seed: '004_cfe1d3a8f9f01ae4.txt',
  fields: [
    required(F.nom),
    required(F.prenom),
    optional(F.dateNaissance),
    required(F.specialite),
    required(F.subdivision),
    optional(F.rpps),
    optional(F.dateInscriptionOrdre),
    required(F.datePriseFonction),
    optional(F.duree),
    required(F.theseSoutenue),
    optional(F.dateThese),
    required(F.etablissementNom),
    // Identifiers checked where the form carries them (PROGRAMMES.md id.finess, id.siret).
    optional(F.finess),
    required(F.structureNom),
    optional(F.siret),
    optional(F.zonePrioritaire),
    optional(F.justificationZone),
    required(F.quotiteHosp1),
    required(F.quotiteAmbu1),
    optional(F.quotiteHosp2),
    optional(F.quotiteAmbu2),
    required(F.rgpd),
    required(F.lettreMotivation),
    required(F.cv),
    required(F.dossierCandidature),
    optional(F.diplomes),
    ...ASAP_AVIS.flatMap(([piece, sens]) => [required(piece), optional(sens)]),
  ],
  // Diplomas are required only when the thesis is passed: elig.diplomes_si_these checks them.
  requiredPieces: ['piece.lettre_motivation', 'piece.cv', 'piece.dossier_candidature'],
  pdfPieces: 'none',
  requiredAvis: ASAP_AVIS.map(([piece]) => piece.key),
};
