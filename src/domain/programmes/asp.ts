import { FIELDS as F, optional, required } from './fields.ts';
import type { Programme } from './types.ts';

/**
 * Assistants Spécialistes Partagés, ARS Île-de-France (seed 000_c1b9c1d27d952e93.txt).
 * The seed does not list the pieces by name; CV and motivation letter are the common core, and
 * each démarche should state its own list in `requiredPieces`.
 */
export const asp: Programme = {
  id: 'asp',
  title: 'Assistants spécialistes partagés (ASP)',
  region: 'Île-de-France',
  seed: '000_c1b9c1d27d952e93.txt',
  fields: [
    required(F.etablissementNom),
    required(F.finess),
    required(F.structureNom),
    // Checked where the form types it as text (PROGRAMMES.md id.siret).
    optional(F.siret),
    required(F.specialite),
    required(F.nom),
    required(F.prenom),
    required(F.dateNaissance),
    optional(F.rpps),
    optional(F.dateInscriptionOrdre),
    optional(F.datePriseFonction),
    required(F.cv),
    required(F.lettreMotivation),
    optional(F.projet),
    optional(F.attestationOrdre),
  ],
  requiredPieces: ['piece.cv', 'piece.lettre_motivation'],
  pdfPieces: 'all',
  requiredAvis: [],
};
