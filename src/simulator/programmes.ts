/** The five ARS démarches as DS would show them: forms, annotations, sessions, groupes, labels. */
import type { FieldDef, FieldKind, ProgrammeId, SessionParams } from './model.ts';
import { AVIS_OPTIONS, SPECIALITES } from './referentials.ts';

export interface ProgrammeDef {
  id: ProgrammeId;
  demarcheNumber: number;
  title: string;
  region: 'idf' | 'normandie';
  session: SessionParams;
  /** DS `for_individual`: the candidate files (PersonnePhysique) instead of an organisation. */
  forIndividual: boolean;
  fields: FieldDef[];
  annotations: FieldDef[];
  groupes: string[];
  /** Pieces that must be PDF for this programme (rule complet.piece_pdf). */
  pdfOnlyPieces: string[];
  /** Keys of the avis pieces and their typed "sens" champs (rule avis.complets). */
  avis: string[];
  dateCreation: string;
  /**
   * A variant of the programme's form served as its own démarche (opt-in, see SimulatorOptions
   * `variants`): `quotites_par_annee` puts the ASR time split in a repetition block, one row per
   * year with an « Année » cell (issue #16 § 3).
   */
  variant?: FormVariant;
  /** First dossier number of the démarche when it differs from its programme's. */
  numberBase?: number;
}

export type FormVariant = 'quotites_par_annee';

type Spec = [kind: FieldKind, key: string, label: string, required?: boolean, extra?: Partial<FieldDef>];

/** Stable ids are per démarche and never reused, like DS's stable_id. */
function build(base: number, specs: Spec[]): FieldDef[] {
  let next = base;
  const make = ([kind, key, label, required = false, extra = {}]: Spec): FieldDef => ({
    key,
    stableId: next++,
    kind,
    label,
    required,
    ...extra,
  });
  return specs.map((spec) => {
    const def = make(spec);
    if (def.children) def.children = def.children.map((c) => ({ ...c, stableId: next++ }));
    return def;
  });
}

function child(kind: FieldKind, key: string, label: string, required = false): FieldDef {
  return { key, stableId: 0, kind, label, required };
}

const candidat = (extra: Spec[] = []): Spec[] => [
  ['header_section', 'h_candidat', 'Identification du candidat'],
  ['civilite', 'civilite', 'Civilité', true],
  ['text', 'nom', 'Nom du candidat', true],
  ['text', 'prenom', 'Prénom du candidat', true],
  ['date', 'naissance', 'Date de naissance', true],
  ...extra,
  ['email', 'email', 'Adresse électronique du candidat', true],
  ['phone', 'telephone', 'Téléphone portable du candidat', true],
  ['drop_down_list', 'specialite', 'Spécialité du DES', true, { options: SPECIALITES, otherOption: false }],
  ['yes_no', 'inscrit_ordre', "Le candidat est-il inscrit à l'Ordre des médecins ?", true],
  ['text', 'rpps', 'Numéro RPPS', true, { description: '11 chiffres (affiché si le candidat est inscrit à l’Ordre)' }],
  [
    'date',
    'date_ordre',
    "Date prévisionnelle d'inscription à l'Ordre",
    true,
    { description: 'Affiché si le candidat n’est pas encore inscrit' },
  ],
];

const piece = (key: string, label: string, required: boolean, description?: string): Spec => [
  'piece_justificative',
  key,
  label,
  required,
  description ? { description } : {},
];

const avisSpecs = (list: Array<[string, string]>): Spec[] =>
  list.flatMap(([key, who]): Spec[] => [
    piece(key, `Avis ${who}`, false, 'Courrier daté et signé'),
    ['drop_down_list', `${key}_sens`, `Sens de l'avis ${who}`, false, { options: AVIS_OPTIONS }],
  ]);

const consentement: Spec[] = [
  ['header_section', 'h_rgpd', 'Protection des données'],
  [
    'checkbox',
    'consentement',
    'Consentement au traitement des données personnelles',
    false,
    {
      description: "J'accepte que mes données soient traitées par l'ARS pour l'instruction de ma candidature",
    },
  ],
];

/** Annotations the adapter writes back, plus one "instructor only" annotation. */
function annotations(base: number): FieldDef[] {
  return build(base, [
    ['textarea', 'a_synthese', 'Contrôle automatique – synthèse'],
    ['yes_no', 'a_complet', 'Dossier complet'],
    ['drop_down_list', 'a_eligibilite', 'Éligibilité', false, { options: ['Oui', 'Non', 'À vérifier'] }],
    ['date', 'a_date_controle', 'Date du contrôle'],
    ['integer_number', 'a_priorite', 'Ordre de priorité'],
    ['textarea', 'a_commentaire', "Commentaire de l'instructeur (réservé à l'ARS)"],
  ]);
}

const aumg: ProgrammeDef = {
  id: 'aumg',
  demarcheNumber: 104512,
  title: 'Assistants universitaires de médecine générale (AUMG) – vague 12 (2025-2027) – Île-de-France',
  region: 'idf',
  session: { closingDate: '2025-04-30', startDates: ['2025-11-01'], durationsYears: [2], monthlyAmountEur: 2000, months: 24 },
  forIndividual: false,
  dateCreation: '2025-01-20',
  groupes: ['Paris et petite couronne', 'Grande couronne'],
  pdfOnlyPieces: ['projet_coconstruit', 'cv', 'lettre_motivation', 'attestation_ordre'],
  avis: [],
  fields: build(1000, [
    ['header_section', 'h_v1', 'Volet 1 – Identification des partenaires'],
    ['text', 'universite', "Nom de l'université", true],
    ['text', 'structure_nom', 'Nom de la structure de soins', true],
    [
      'drop_down_list',
      'structure_type',
      'Type de structure de soins',
      true,
      {
        options: ['Centre de santé (CDS)', 'Maison de santé pluriprofessionnelle (MSP)', 'Cabinet libéral'],
      },
    ],
    ['siret', 'structure_siret', 'SIRET de la structure de soins', true],
    ['address', 'structure_adresse', 'Adresse de la structure de soins', true],
    ['header_section', 'h_v2', 'Volet 2 – Partenariat'],
    ['textarea', 'projet_partage', 'Projet partagé entre l’université et la structure de soins', true],
    [
      'drop_down_list',
      'zone',
      "Zone d'implantation de la structure (ZIP, ZIP+, ZAC, QPV)",
      true,
      {
        options: ['ZIP', 'ZIP+', 'ZAC', 'QPV', 'Hors zonage'],
      },
    ],
    ['header_section', 'h_v3', 'Volet 3 – Partie universitaire'],
    piece('presentation_dumg', 'Présentation du DUMG (selon le modèle fourni)', true),
    ['textarea', 'activites_univ', 'Activités universitaires de l’AUMG', true],
    ['header_section', 'h_v4', 'Volet 4 – Partie structure de soins'],
    piece('presentation_structure', 'Présentation de la structure de soins', true),
    ['textarea', 'activites_structure', 'Activités de soins de l’AUMG dans la structure', true],
    ...candidat(),
    ['date', 'fin_internat', "Date de fin de l'internat", true],
    [
      'repetition',
      'parcours',
      "Parcours du candidat (stages d'internat)",
      false,
      {
        children: [child('text', 'service', 'Service et établissement', true), child('text', 'semestre', 'Semestre', true)],
      },
    ],
    ['header_section', 'h_v7', 'Volet 7 – Engagement'],
    piece('lettre_engagement', "Lettre d'engagement signée par les trois partenaires", true),
    ['header_section', 'h_v8', 'Volet 8 – Pièces justificatives (format PDF)'],
    piece('projet_coconstruit', 'Projet co-construit', true),
    piece('cv', 'Curriculum vitae', true),
    piece('lettre_motivation', 'Lettre de motivation', true),
    piece('attestation_ordre', "Attestation d'inscription à l'Ordre des médecins", false),
  ]),
  annotations: annotations(1900),
};

const asp: ProgrammeDef = {
  id: 'asp',
  demarcheNumber: 21873,
  title: 'Assistants spécialistes partagés (ASP) – vague 6 – Île-de-France',
  region: 'idf',
  session: { closingDate: '2019-03-20', startDates: ['2019-11-02'], durationsYears: [2] },
  forIndividual: false,
  dateCreation: '2019-01-07',
  groupes: ['Paris et petite couronne', 'Grande couronne'],
  pdfOnlyPieces: ['cv', 'lettre_motivation', 'projet_medical_signe', 'attestation_ordre'],
  avis: [],
  fields: build(2000, [
    ['header_section', 'h_etab', 'Identification des établissements partenaires'],
    ['text', 'etab_recruteur', 'Établissement recruteur', true],
    ['text', 'finess', "N° FINESS de l'établissement recruteur", true, { description: '9 caractères' }],
    ['text', 'etab_partenaire', 'Établissement partenaire', true],
    ['departement', 'dept_partenaire', "Département de l'établissement partenaire", true],
    ['header_section', 'h_projet', 'Projet médical partagé'],
    ['textarea', 'projet_medical', 'Description du projet médical partagé', true],
    ['header_section', 'h_poste', 'Profil de poste'],
    ['textarea', 'profil_poste', 'Profil de poste', true],
    ['integer_number', 'demi_journees', "Nombre de demi-journées hebdomadaires dans l'établissement partenaire", true],
    ['header_section', 'h_carriere', 'Perspectives de carrière'],
    ['yes_no', 'poste_perenne', "Un poste pérenne est-il proposé à l'issue de l'assistanat ?", true],
    ...candidat(),
    ['header_section', 'h_pieces', 'Pièces justificatives (PDF uniquement)'],
    piece('cv', 'Curriculum vitae', true),
    piece('lettre_motivation', 'Lettre de motivation', true),
    piece('projet_medical_signe', 'Projet médical partagé signé par les deux établissements', true),
    piece('attestation_ordre', "Attestation d'inscription à l'Ordre des médecins", false),
  ]),
  annotations: annotations(2900),
};

const mgvh: ProgrammeDef = {
  id: 'mgvh',
  demarcheNumber: 28541,
  title: 'Postes de médecins généralistes ville/hôpital (2020-2022) – Île-de-France',
  region: 'idf',
  session: { closingDate: '2020-03-13', startDates: ['2020-11-02'], durationsYears: [2] },
  forIndividual: false,
  dateCreation: '2020-01-13',
  groupes: ['Paris et petite couronne', 'Grande couronne'],
  pdfOnlyPieces: ['cv', 'lettre_motivation', 'lettre_engagement', 'attestation_ordre'],
  avis: [],
  fields: build(3000, [
    ['header_section', 'h_ident', 'Identification'],
    ['text', 'etab_recruteur', 'Établissement hospitalier recruteur', true],
    ['text', 'finess', "N° FINESS de l'établissement recruteur", true, { description: '9 caractères' }],
    ['text', 'structure_nom', 'Nom de la structure de soins', true],
    [
      'text',
      'structure_siret',
      'N° SIRET/SIREN de la structure de soins',
      true,
      { description: '14 chiffres (SIRET) ou 9 chiffres (SIREN)' },
    ],
    ['commune', 'structure_commune', 'Commune de la structure de soins', true],
    ['header_section', 'h_partenariat', 'Partenariat'],
    ['textarea', 'partenariat', 'Description du partenariat ville/hôpital', true],
    ['header_section', 'h_activite', 'Activité hospitalière'],
    ['textarea', 'activite_hospitaliere', 'Activité hospitalière prévue', true],
    ['header_section', 'h_structure', 'Structure de soins'],
    ['textarea', 'activite_ambulatoire', 'Activité ambulatoire prévue', true],
    ['integer_number', 'rang', "Rang de priorité du candidat pour l'établissement", true],
    ...candidat(),
    ['header_section', 'h_pieces', 'Pièces justificatives obligatoires (PDF)'],
    piece('cv', 'CV du candidat pressenti', true),
    piece('lettre_motivation', 'Lettre de motivation du candidat pressenti', true),
    piece('lettre_engagement', "Lettre d'engagement type sur le projet ville/hôpital", true),
    piece('attestation_ordre', "Attestation d'inscription à l'Ordre des médecins (n° RPPS ou date d'inscription prévue)", true),
  ]),
  annotations: annotations(3900),
};

/** The ASR form (seed 003), with its time split as given. */
const asrSpecs = (quotites: Spec[]): Spec[] => [
  ...candidat([
    ['text', 'lieu_naissance', 'Lieu de naissance', true],
    ['departement', 'dept_naissance', 'Département de naissance', true],
  ]),
  ['drop_down_list', 'statut', 'Statut actuel', true, { options: ['Interne', 'Docteur Junior', 'Autre'] }],
  ['address', 'adresse', 'Adresse personnelle', true],
  ['header_section', 'h_poste', 'Poste demandé'],
  ['text', 'ch_employeur', 'Centre hospitalier employeur (périphérique)', true],
  ['text', 'finess', 'N° FINESS du centre hospitalier employeur', true, { description: '9 caractères' }],
  ['drop_down_list', 'chu', 'CHU de rattachement', true, { options: ['CHU de Rouen', 'CHU de Caen Normandie'] }],
  ['drop_down_list', 'subdivision', 'Subdivision', true, { options: ['Rouen', 'Caen'] }],
  ['date', 'date_prise', 'Date de prise de fonction', true, { description: '4 mai 2026, 2 novembre 2026 ou 2 mai 2027' }],
  ['integer_number', 'duree', 'Durée du poste (années)', true, { description: '1 ou 2 ans' }],
  ['header_section', 'h_parcours', 'Annexe 3 – Parcours du candidat'],
  [
    'repetition',
    'parcours',
    "Stages d'internat",
    true,
    {
      children: [
        child('text', 'service', 'Service', true),
        child('text', 'etablissement', 'Établissement', true),
        child('text', 'semestre', 'Semestre', true),
      ],
    },
  ],
  ['textarea', 'travaux', 'Travaux et publications', false],
  ['date', 'date_des', 'Date de validation du DES (obtenue ou prévue)', true],
  ['yes_no', 'these_soutenue', 'Thèse soutenue', true],
  ['date', 'date_soutenance', 'Date de soutenance de thèse', true, { description: 'Affiché si la thèse n’est pas encore soutenue' }],
  ...quotites,
  ['header_section', 'h_pieces', 'Pièces du dossier'],
  piece('fiche_candidat', 'Fiche du candidat (annexe 1)', true),
  piece('lettre_motivation', 'Lettre de motivation (annexe 2)', true),
  piece('parcours_piece', 'Descriptif du parcours du candidat (annexe 3)', true),
  piece('diplomes', 'Copie des diplômes et travaux', true),
  piece('projet', 'Projet relatif au parcours d’ASR (annexe 4)', true),
  ['header_section', 'h_avis', 'Avis (annexes 5 à 11)'],
  ...avisSpecs([
    ['avis_chef_univ', 'du chef de service universitaire'],
    ['avis_chef_ch', 'du chef de service du centre hospitalier'],
    ['avis_coordonnateur', 'du coordonnateur de la spécialité'],
    ['avis_dir_chu', 'du directeur du CHU'],
    ['avis_dir_ch', 'du directeur du centre hospitalier'],
    ['avis_cme_chu', 'du président de CME du CHU'],
    ['avis_cme_ch', 'du président de CME du CH'],
  ]),
  ...consentement,
];

const ASR_QUOTITES: Spec[] = [
  ['header_section', 'h_quotite', 'Quotité de temps partagé par année'],
  ['integer_number', 'quotite_chu_1', 'Quotité CHU année 1 (%)', true],
  ['integer_number', 'quotite_ch_1', 'Quotité CH année 1 (%)', true],
  ['integer_number', 'quotite_chu_2', 'Quotité CHU année 2 (%)', true, { description: 'Affiché pour un poste de 2 ans' }],
  ['integer_number', 'quotite_ch_2', 'Quotité CH année 2 (%)', true, { description: 'Affiché pour un poste de 2 ans' }],
];

/**
 * The same split as one row per year: a repetition block whose « Année » cell (a drop-down) says
 * which year the row is; candidates may list the rows in any order.
 */
const ASR_QUOTITES_PAR_ANNEE: Spec[] = [
  ['multiple_drop_down_list', 'langues', 'Langues de travail', false, { options: ['Français', 'Anglais', 'Espagnol'] }],
  [
    'linked_drop_down_list',
    'surspecialite',
    'Option ou formation spécialisée transversale visée',
    false,
    { options: ['--Option--', 'Cardiologie interventionnelle', 'Réanimation', '--FST--', 'Addictologie', 'Douleur'] },
  ],
  ['header_section', 'h_quotite', 'Quotité de temps partagé'],
  [
    'repetition',
    'quotites_par_annee',
    'Répartition du temps de travail par année',
    true,
    {
      description: 'Une ligne par année de fonctions',
      children: [
        { ...child('drop_down_list', 'annee', 'Année', true), options: ['Première année', 'Deuxième année'] },
        child('integer_number', 'chu', 'Temps au CHU (%)', true),
        child('integer_number', 'ch', 'Temps au centre hospitalier (%)', true),
      ],
    },
  ],
];

const asr: ProgrammeDef = {
  id: 'asr',
  demarcheNumber: 131207,
  title: 'Assistant spécialiste à temps partagé « ASR » – session 2026 – Normandie',
  region: 'normandie',
  session: { closingDate: '2026-01-30', startDates: ['2026-05-04', '2026-11-02', '2027-05-02'], durationsYears: [1, 2] },
  forIndividual: false,
  dateCreation: '2025-10-06',
  groupes: ['Subdivision de Rouen', 'Subdivision de Caen'],
  pdfOnlyPieces: [],
  avis: ['avis_chef_univ', 'avis_chef_ch', 'avis_coordonnateur', 'avis_dir_chu', 'avis_dir_ch', 'avis_cme_chu', 'avis_cme_ch'],
  fields: build(4000, asrSpecs(ASR_QUOTITES)),
  annotations: annotations(4900),
};

const asap: ProgrammeDef = {
  id: 'asap',
  demarcheNumber: 125633,
  title: 'Assistant spécialiste ambulatoire partagé (ASAP) – session 2025 – Normandie',
  region: 'normandie',
  session: { closingDate: '2025-02-14', startDates: ['2025-11-03', '2026-05-04'] },
  forIndividual: true,
  dateCreation: '2024-11-18',
  groupes: ['Subdivision de Rouen', 'Subdivision de Caen'],
  pdfOnlyPieces: [],
  avis: ['avis_coordonnateur', 'avis_chef_ambu', 'avis_chef_hosp', 'avis_dir_ambu', 'avis_dir_hosp'],
  fields: build(5000, [
    ['header_section', 'h_formation', 'Formation'],
    ...candidat(),
    ['date', 'date_des', 'Date de validation du DES (obtenue ou prévue)', true],
    ['yes_no', 'these_soutenue', 'Thèse soutenue', true],
    ['date', 'date_soutenance', 'Date de soutenance de thèse', true, { description: 'Affiché si la thèse n’est pas encore soutenue' }],
    ['header_section', 'h_fonction', 'Fonction'],
    ['text', 'etab_hospitalier', 'Établissement hospitalier', true],
    ['text', 'structure_ambulatoire', 'Structure ambulatoire partenaire', true],
    ['drop_down_list', 'subdivision', 'Subdivision', true, { options: ['Rouen', 'Caen'] }],
    ['date', 'date_prise', 'Date de prise de fonction', true, { description: 'Novembre 2025 ou mai 2026' }],
    ['integer_number', 'quotite_ambulatoire', 'Quotité en structure ambulatoire (%)', true],
    ['integer_number', 'quotite_hospitaliere', 'Quotité en établissement hospitalier (%)', true],
    ['header_section', 'h_structure', 'Structure ambulatoire'],
    ['yes_no', 'zone_prioritaire', 'La structure ambulatoire est-elle située en zone prioritaire ?', true],
    [
      'textarea',
      'justification_zone',
      'Justification du choix de la structure partenaire hors zone prioritaire (avis du coordonnateur)',
      false,
    ],
    ['header_section', 'h_projet', 'Projet de vie professionnelle'],
    ['textarea', 'projet', 'Projet de vie professionnelle', true],
    ['header_section', 'h_pieces', 'Pièces du dossier'],
    piece('dossier_candidature', 'Dossier de candidature complété (formulaire ARS)', true),
    piece('lettre_motivation', 'Lettre de motivation', true),
    piece('cv', 'Curriculum vitae détaillé', true),
    piece('diplomes', 'Copie des diplômes (si la thèse est soutenue)', false),
    ['header_section', 'h_avis', 'Avis'],
    ...avisSpecs([
      ['avis_coordonnateur', 'du coordonnateur de la spécialité'],
      ['avis_chef_ambu', 'du chef de service de la structure ambulatoire'],
      ['avis_chef_hosp', "du chef de service de l'établissement hospitalier"],
      ['avis_dir_ambu', 'du directeur de la structure ambulatoire'],
      ['avis_dir_hosp', "du directeur de l'établissement hospitalier"],
    ]),
    ...consentement,
  ]),
  annotations: annotations(5900),
};

export const PROGRAMMES: Record<ProgrammeId, ProgrammeDef> = { aumg, asp, mgvh, asr, asap };

/** Démarches served only on request (SimulatorOptions `variants`): existing counts stay as they are. */
export const VARIANTS: Record<FormVariant, ProgrammeDef> = {
  quotites_par_annee: {
    ...asr,
    demarcheNumber: 131208,
    title: 'Assistant spécialiste à temps partagé « ASR » – session 2026 – Normandie (répartition par année)',
    variant: 'quotites_par_annee',
    numberBase: 27_805_000,
    // « Statut actuel » takes a free answer here (DS « Autre » option), for `demarche inspect`.
    fields: build(6000, asrSpecs(ASR_QUOTITES_PAR_ANNEE)).map((f) =>
      f.key === 'statut' ? { ...f, options: ['Interne', 'Docteur Junior'], otherOption: true } : f,
    ),
    annotations: annotations(6900),
  },
};

/** Adds neutral text champs so a dossier carries about `total` champs (benchmarks). */
export function withPadding(def: ProgrammeDef, total: number | undefined): ProgrammeDef {
  const count = (total ?? 0) - def.fields.length;
  if (count <= 0) return def;
  const base = def.fields.reduce((m, f) => Math.max(m, f.stableId, ...(f.children ?? []).map((c) => c.stableId)), 0) + 1;
  const extra: FieldDef[] = Array.from({ length: count }, (_, i) => ({
    key: `complement_${i + 1}`,
    stableId: base + i,
    kind: 'text',
    label: `Information complémentaire n°${i + 1}`,
    required: false,
  }));
  return { ...def, fields: [...def.fields, ...extra] };
}

export const LABELS: Array<{ name: string; color: string }> = [
  { name: 'À examiner', color: 'purple_glycine' },
  { name: 'À relancer', color: 'yellow_tournesol' },
  { name: 'Complet', color: 'green_bourgeon' },
  { name: 'À signer', color: 'blue_ecume' },
  { name: 'Urgent', color: 'pink_macaron' },
];
