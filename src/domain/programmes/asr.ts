import { avisFields, FIELDS as F, optional, required } from './fields.ts';
import type { FieldSpec, Programme } from './types.ts';

/** The seven avis of annexes 5 to 11 (seed 003_d4ac5c3792af9e12.txt). */
export const ASR_AVIS: ReadonlyArray<[FieldSpec, FieldSpec]> = [
  avisFields('avis.chef_service_chu', 'chef de service universitaire', ['chef de service du CHU']),
  avisFields('avis.chef_service_ch', 'chef de service du centre hospitalier', ['chef de service du CH']),
  avisFields('avis.coordonnateur', 'coordonnateur de la spécialité', ['coordonnateur local de la spécialité', 'coordonnateur']),
  avisFields('avis.directeur_chu', 'directeur du CHU'),
  avisFields('avis.directeur_ch', 'directeur du centre hospitalier', ['directeur du CH']),
  avisFields('avis.president_cme_chu', 'président de CME du CHU', ['président de la CME du CHU']),
  avisFields('avis.president_cme_ch', 'président de CME du centre hospitalier', ['président de CME du CH', 'président de la CME du CH']),
];

/** Assistant spécialiste à temps partagé « ASR », ARS Normandie (seed 003_d4ac5c3792af9e12.txt). */
export const asr: Programme = {
  id: 'asr',
  title: 'Assistants spécialistes à temps partagé (ASR)',
  region: 'Normandie',
  seed: '003_d4ac5c3792af9e12.txt',
  fields: [
    required(F.nom),
    required(F.prenom),
    required(F.dateNaissance),
    required(F.specialiteDes),
    optional(F.statut),
    optional(F.rpps),
    optional(F.dateInscriptionOrdre),
    required(F.etablissementNom),
    // The CH employer's FINESS, where the form asks for it (PROGRAMMES.md id.finess « where a FINESS champ exists »).
    optional(F.finess),
    optional(F.subdivision),
    required(F.datePriseFonction),
    required(F.duree),
    required(F.dateDes),
    required(F.dateThese),
    optional(F.theseSoutenue),
    required(F.quotiteChu1),
    required(F.quotiteCh1),
    optional(F.quotiteChu2),
    optional(F.quotiteCh2),
    required(F.rgpd),
    required(F.ficheCandidat),
    required(F.lettreMotivation),
    required(F.parcours),
    required(F.projet),
    optional(F.diplomes),
    optional(F.cv),
    ...ASR_AVIS.flatMap(([piece, sens]) => [required(piece), optional(sens)]),
  ],
  // Annexes 1 to 4; the avis (5 to 11) are checked by avis.complets, the consent (12) by rgpd.consentement.
  requiredPieces: ['piece.fiche_candidat', 'piece.lettre_motivation', 'piece.parcours', 'piece.projet'],
  pdfPieces: 'none',
  requiredAvis: ASR_AVIS.map(([piece]) => piece.key),
};
