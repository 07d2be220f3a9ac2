import { FIELDS as F, optional, required } from './fields.ts';
import type { Programme } from './types.ts';

/** Assistants Universitaires de Médecine Générale, ARS Île-de-France (seed 002_81a7b64d948be2e6.txt). */
export const aumg: Programme = {
  id: 'aumg',
  title: 'Assistants universitaires de médecine générale (AUMG)',
  region: 'Île-de-France',
  seed: '002_81a7b64d948be2e6.txt',
  fields: [
    required(F.universite),
    required(F.structureNom),
    // A centre de santé has a FINESS: checked where the form asks for it (PROGRAMMES.md id.finess).
    optional(F.finess),
    required(F.zone),
    required(F.nom),
    required(F.prenom),
    required(F.dateNaissance),
    optional(F.rpps),
    optional(F.dateInscriptionOrdre),
    required(F.specialiteDes),
    required(F.dateFinInternat),
    optional(F.datePriseFonction),
    optional(F.siret),
    required(F.presentationDumg),
    required(F.presentationStructure),
    required(F.lettreEngagement),
    required(F.projet),
    required(F.cv),
    required(F.lettreMotivation),
    optional(F.attestationOrdre),
  ],
  requiredPieces: [
    'piece.presentation_dumg',
    'piece.presentation_structure',
    'piece.lettre_engagement',
    'piece.projet',
    'piece.cv',
    'piece.lettre_motivation',
  ],
  // Volet 8 only is "à télécharger au format PDF"; the DUMG and structure presentations are filled-in models.
  pdfPieces: ['piece.projet', 'piece.cv', 'piece.lettre_motivation', 'piece.attestation_ordre'],
  requiredAvis: [],
};
