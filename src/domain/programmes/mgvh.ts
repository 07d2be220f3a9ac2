import { FIELDS as F, optional, required } from './fields.ts';
import type { Programme } from './types.ts';

/** Médecins généralistes ville/hôpital, ARS Île-de-France (seed 001_9629ce77747b2e45.txt). */
export const mgvh: Programme = {
  id: 'mgvh',
  title: 'Médecins généralistes ville/hôpital (MGVH)',
  region: 'Île-de-France',
  seed: '001_9629ce77747b2e45.txt',
  fields: [
    required(F.etablissementNom),
    optional(F.finess),
    required(F.structureNom),
    required(F.siret),
    required(F.nom),
    required(F.prenom),
    required(F.dateNaissance),
    optional(F.rpps),
    optional(F.dateInscriptionOrdre),
    optional(F.datePriseFonction),
    optional(F.ordrePriorite),
    required(F.cv),
    required(F.lettreMotivation),
    required(F.lettreEngagement),
    required(F.attestationOrdre),
  ],
  // "Rappel des 4 pièces justificatives obligatoires".
  requiredPieces: ['piece.cv', 'piece.lettre_motivation', 'piece.lettre_engagement', 'piece.attestation_ordre'],
  pdfPieces: 'all',
  requiredAvis: [],
};
