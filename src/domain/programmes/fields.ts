import type { FieldKind, FieldSpec, ProgrammeField } from './types.ts';

function spec(key: string, kind: FieldKind, label: string, synonyms: readonly string[]): FieldSpec {
  return { key, kind, label, synonyms: [label, ...synonyms] };
}

/**
 * Every semantic field a programme may use, with French wordings taken from the seeds and the
 * usual variations of DS forms. Adding a synonym here helps `init` map unseen forms.
 */
export const FIELDS = {
  nom: spec('candidat.nom', 'text', 'Nom du candidat', [
    'Nom',
    'Nom de naissance du candidat',
    'Nom du candidat pressenti',
    'Nom d’usage du candidat',
    'Nom du médecin',
  ]),
  prenom: spec('candidat.prenom', 'text', 'Prénom du candidat', ['Prénom', 'Prénom du candidat pressenti', 'Prénom du médecin']),
  dateNaissance: spec('candidat.date_naissance', 'date', 'Date de naissance du candidat', [
    'Date de naissance',
    'Né(e) le',
    'Date de naissance du candidat pressenti',
  ]),
  rpps: spec('candidat.rpps', 'identifier', 'Numéro RPPS du candidat', [
    'Numéro RPPS',
    'N° RPPS',
    'N° RPPS du candidat',
    'Identifiant RPPS',
    'RPPS',
    'Numéro d’inscription au RPPS',
  ]),
  dateInscriptionOrdre: spec('candidat.date_inscription_ordre', 'date', 'Date prévisionnelle d’inscription à l’Ordre', [
    'Date d’inscription prévue à l’Ordre des médecins',
    'Date prévue d’inscription au tableau de l’Ordre',
    'À défaut de RPPS, date prévisionnelle d’inscription',
    'Date prévisionnelle d’inscription à l’Ordre des médecins',
    'Date d’inscription à l’Ordre',
  ]),
  specialiteDes: spec('candidat.specialite_des', 'choice', 'Spécialité de DES', [
    'Spécialité du DES',
    'Diplôme d’études spécialisées',
    'DES obtenu',
    'Titulaire du DES de médecine générale',
    'Spécialité du diplôme d’études spécialisées',
    'DES en cours',
  ]),
  statut: spec('candidat.statut', 'choice', 'Statut actuel du candidat', ['Statut actuel', 'Statut (interne, docteur junior, autre)']),
  dateFinInternat: spec('candidat.date_fin_internat', 'date', 'Date de fin d’internat', [
    'Date de fin de l’internat',
    'Fin d’internat',
    'Date de validation de l’internat',
    'Date de fin d’internat du candidat',
  ]),
  dateThese: spec('candidat.date_these', 'date', 'Date de soutenance de thèse', [
    'Date de la thèse',
    'Date de soutenance de la thèse (réalisée ou prévue)',
    'Thèse date de soutenance',
    'Doctorat date d’obtention',
    'Date prévue de soutenance de thèse',
  ]),
  theseSoutenue: spec('candidat.these_soutenue', 'boolean', 'Thèse soutenue', [
    'Avez-vous soutenu votre thèse',
    'Thèse passée',
    'Thèse déjà soutenue',
    'Le candidat a-t-il soutenu sa thèse',
  ]),
  dateDes: spec('candidat.date_des', 'date', 'Date d’obtention du DES', [
    'Date de validation du DES',
    'DES date d’obtention',
    'Date prévue d’obtention du DES',
    'Date du DES',
  ]),
  universite: spec('universite.nom', 'text', 'Université (UFR recruteur)', [
    'UFR recruteur',
    'Université',
    'Nom de l’université',
    'DUMG',
    'UFR de rattachement',
    'Université partenaire du projet',
  ]),
  etablissementNom: spec('etablissement.nom', 'text', 'Nom de l’établissement recruteur', [
    'Établissement de santé recruteur',
    'Centre hospitalier employeur',
    'Établissement hospitalier',
    'Établissement de santé',
    'Nom de l’établissement de santé',
    // Seed 003: « centre hospitalier public périphérique, établissement employeur ».
    'Établissement employeur',
  ]),
  finess: spec('etablissement.finess', 'identifier', 'N° FINESS de l’établissement recruteur', [
    'Numéro FINESS',
    'FINESS',
    'Code FINESS de l’établissement',
    'N° FINESS',
    'FINESS établissement',
  ]),
  structureNom: spec('structure.nom', 'text', 'Nom de la structure de soins partenaire', [
    'Structure de soins partenaire',
    'Structure ambulatoire',
    'Nom de la structure',
    'Établissement partenaire',
    'Structure partenaire (CDS, MSP, cabinet libéral)',
    'Dénomination de la structure',
  ]),
  siret: spec('structure.siret', 'siret', 'N° SIRET/SIREN de la structure de soins', [
    'SIRET de la structure de soins',
    'Numéro SIRET',
    'SIRET',
    'SIREN',
    'SIRET ou SIREN de la structure',
  ]),
  zone: spec('structure.zone', 'choice', 'Zone sous-dense de la structure de soins', [
    'Zonage de la structure (ZIP, ZIP+, ZAC, QPV)',
    'Identification de la zone sous-dense de la structure de soins',
    'Zone d’implantation de la structure',
    'Zonage',
    'Type de zone',
  ]),
  zonePrioritaire: spec('structure.zone_prioritaire', 'boolean', 'Structure partenaire en zone prioritaire', [
    'La structure partenaire est-elle en zone prioritaire',
    'Zone prioritaire',
    'Structure située en zone prioritaire',
  ]),
  justificationZone: spec('justification.zone', 'text', 'Justification du choix de la structure hors zone prioritaire', [
    'Justification du coordonnateur',
    'Motif du choix de la structure partenaire',
    'Justification de la structure partenaire',
  ]),
  datePriseFonction: spec('poste.date_prise_fonction', 'date', 'Date de prise de fonction', [
    'Prise de fonction',
    'Date de la prise de fonction',
    'Date d’entrée en fonction',
    'Date de prise de poste',
  ]),
  duree: spec('poste.duree_annees', 'number', 'Durée de fonctions prévue (années)', [
    'Durée de fonctions prévue',
    'Durée du post-internat prévu',
    'Durée du poste',
    'Durée (en années)',
    'Durée du contrat',
  ]),
  quotiteChu1: spec('quotite.chu.annee1', 'percent', 'Quotité au CHU – année 1 (%)', [
    'Année 1 établissement du service universitaire',
    'Temps au CHU année 1',
    'Quotité CHU année 1',
    'Année 1 CHU %',
  ]),
  quotiteCh1: spec('quotite.ch.annee1', 'percent', 'Quotité au centre hospitalier – année 1 (%)', [
    'Année 1 centre hospitalier',
    'Temps au CH année 1',
    'Quotité CH année 1',
    'Année 1 CH %',
  ]),
  quotiteChu2: spec('quotite.chu.annee2', 'percent', 'Quotité au CHU – année 2 (%)', [
    'Année 2 établissement du service universitaire',
    'Temps au CHU année 2',
    'Quotité CHU année 2',
    'Année 2 CHU %',
  ]),
  quotiteCh2: spec('quotite.ch.annee2', 'percent', 'Quotité au centre hospitalier – année 2 (%)', [
    'Année 2 centre hospitalier',
    'Temps au CH année 2',
    'Quotité CH année 2',
    'Année 2 CH %',
  ]),
  quotiteHosp1: spec('quotite.hospitalier.annee1', 'percent', 'Temps passé dans l’établissement de santé (%)', [
    'Quotité hospitalière',
    'Part hospitalière',
    'Temps hospitalier',
    'Temps établissement de santé année 1',
  ]),
  quotiteAmbu1: spec('quotite.ambulatoire.annee1', 'percent', 'Temps passé dans la structure ambulatoire (%)', [
    'Quotité ambulatoire',
    'Part ambulatoire',
    'Temps ambulatoire',
    'Temps structure ambulatoire année 1',
  ]),
  quotiteHosp2: spec('quotite.hospitalier.annee2', 'percent', 'Temps passé dans l’établissement de santé – année 2 (%)', [
    'Quotité hospitalière année 2',
    'Part hospitalière année 2',
  ]),
  quotiteAmbu2: spec('quotite.ambulatoire.annee2', 'percent', 'Temps passé dans la structure ambulatoire – année 2 (%)', [
    'Quotité ambulatoire année 2',
    'Part ambulatoire année 2',
  ]),
  ordrePriorite: spec('ordre_priorite', 'number', 'Ordre de priorité', [
    'Ordre de priorité de l’établissement',
    'Rang de priorité',
    'Classement du candidat par l’établissement',
  ]),
  subdivision: spec('subdivision', 'choice', 'Subdivision', ['Subdivision de', 'Subdivision de rattachement', 'Subdivision (Rouen, Caen)']),
  specialite: spec('specialite', 'choice', 'Spécialité médicale du poste', [
    'Spécialité',
    'Spécialité médicale',
    'Spécialité médicale concernée',
    'Spécialité du poste',
  ]),
  rgpd: spec('rgpd.consentement', 'boolean', 'Consentement à la protection des données', [
    'Protection des données',
    'Traitement des données à caractère personnel',
    'J’accepte de fournir les données personnelles me concernant à l’ARS',
    'Consentement RGPD',
  ]),
  cv: spec('piece.cv', 'piece', 'CV du candidat', [
    'Curriculum vitae',
    'CV détaillé',
    'CV candidat à jour',
    'CV du candidat pressenti',
    'CV',
  ]),
  lettreMotivation: spec('piece.lettre_motivation', 'piece', 'Lettre de motivation du candidat', [
    'Lettre de motivation',
    'Lettre de motivation du candidat pressenti',
    'Lettre de motivation signée',
  ]),
  projet: spec('piece.projet', 'piece', 'Projet co-construit entre les partenaires', [
    'Projet médical partagé',
    'Projet relatif au parcours',
    'Projet pédagogique de temps partagé',
    'Projet',
    'Projet médical partagé entre les deux structures',
  ]),
  lettreEngagement: spec('piece.lettre_engagement', 'piece', 'Lettre d’engagement des partenaires', [
    'Lettre d’engagement signée par les trois partenaires',
    'Lettre d’engagement type sur le projet ville/hôpital',
    'Lettre d’engagement',
    'Lettre d’engagement sur le projet médical partagé',
  ]),
  presentationDumg: spec('piece.presentation_dumg', 'piece', 'Présentation du département universitaire de médecine générale', [
    'Présentation du DUMG',
    'Présentation du département universitaire de MG',
  ]),
  presentationStructure: spec('piece.presentation_structure', 'piece', 'Présentation de la structure de soins', [
    'Présentation de la structure',
    'Description de la structure de soins',
  ]),
  attestationOrdre: spec('piece.attestation_ordre', 'piece', 'Attestation d’inscription à l’Ordre des médecins', [
    'Attestation d’inscription à l’Ordre',
    'Attestation Ordre des médecins et n° RPPS',
    'Attestation d’inscription au tableau de l’Ordre',
  ]),
  diplomes: spec('piece.diplomes', 'piece', 'Copie des diplômes', [
    'Diplômes',
    'Justificatifs des diplômes',
    'Copies des diplômes et travaux',
  ]),
  ficheCandidat: spec('piece.fiche_candidat', 'piece', 'Fiche du candidat', ['Fiche candidat', 'Annexe 1 fiche du candidat']),
  parcours: spec('piece.parcours', 'piece', 'Descriptif du parcours du candidat', ['Parcours du candidat', 'Annexe 3 parcours']),
  dossierCandidature: spec('piece.dossier_candidature', 'piece', 'Dossier de candidature complété', [
    'Dossier de candidature dûment complété',
    'Formulaire de candidature',
    'Dossier de candidature',
  ]),
} as const satisfies Record<string, FieldSpec>;

/** An avis is a piece (the signed letter) plus, optionally, a typed "Favorable/Défavorable" champ. */
export function avisFields(key: string, who: string, extra: readonly string[] = []): [FieldSpec, FieldSpec] {
  return [
    spec(
      key,
      'piece',
      `Avis du ${who}`,
      extra.map((e) => `Avis du ${e}`),
    ),
    spec(`${key}.sens`, 'choice', `Sens de l’avis du ${who}`, [
      `Avis du ${who} (favorable ou défavorable)`,
      `Avis du ${who} : sens`,
      ...extra.map((e) => `Sens de l'avis du ${e}`),
    ]),
  ];
}

export const required = (spec: FieldSpec): ProgrammeField => ({ spec, required: true });
export const optional = (spec: FieldSpec): ProgrammeField => ({ spec, required: false });
