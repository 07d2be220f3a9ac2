/**
 * Seeded generation: a démarche plan (scenario, state, dates per dossier) built eagerly and
 * small, and the champ values of one dossier rebuilt on demand from its own seed (memory-lean).
 */
import type { FieldDef, FileSpec, Identity, InternalState, Organisation, RowValue, Values } from './model.ts';
import type { ProgrammeDef } from './programmes.ts';
import { createRng, mixSeed, type Rng } from './prng.ts';
import { finess, rpps, siret } from './identifiers.ts';
import {
  HOPITAUX_IDF,
  HOPITAUX_NORMANDIE,
  NOMS,
  PLACES_IDF,
  PLACES_NORMANDIE,
  PRENOMS_F,
  PRENOMS_M,
  SPECIALITES,
  STRUCTURES_SOINS,
  UNIVERSITES_IDF,
  addressOf,
  slug,
  type Place,
} from './referentials.ts';
import { SCENARIO_BY_ID, scenariosFor, type Scenario, yearRow } from './scenarios.ts';
import { DAY, addDays, addYears, parisTime } from './time.ts';

export interface PlanEntry {
  index: number;
  scenario: string;
  state: InternalState;
  /** Index of the dossier this one duplicates (doublon scenarios). */
  sourceIndex?: number;
}

const VALID_STATES: InternalState[] = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'];

/** Scenario dossiers are spread evenly; with n ≥ number of scenarios, each appears at least once. */
export function planDemarche(def: ProgrammeDef, count: number, seed: number): PlanEntry[] {
  const rng = createRng(mixSeed(seed, def.demarcheNumber, 1));
  const special = scenariosFor(def.id, def.variant).filter((s) => s.id !== 'valide');
  const plan: PlanEntry[] = Array.from({ length: count }, (_, index) => ({ index, scenario: 'valide', state: 'en_construction' }));
  const slots = Math.min(special.length, count);
  const used = new Set<number>();
  for (let k = 0; k < slots; k++) {
    // Leave index 0 valid so duplicates always find a source before them.
    let at = Math.min(count - 1, 1 + Math.floor((k * (count - 1)) / slots));
    while (used.has(at) && at < count - 1) at++;
    while (used.has(at) && at > 0) at--;
    used.add(at);
    const entry = plan[at];
    if (entry) entry.scenario = (special[k] as Scenario).id;
  }
  // Duplicates and their sources stay live (en construction) so the rule can see both.
  const sources = new Set<number>();
  for (const entry of plan) {
    if (!SCENARIO_BY_ID.get(entry.scenario)?.duplicateOf) continue;
    for (let j = entry.index - 1; j >= 0; j--) {
      if (plan[j]?.scenario === 'valide') {
        entry.sourceIndex = j;
        sources.add(j);
        break;
      }
    }
  }
  let forced = 0;
  for (const entry of plan) {
    if (entry.sourceIndex !== undefined || sources.has(entry.index)) entry.state = 'en_construction';
    else if (entry.scenario === 'valide') {
      entry.state = forced < VALID_STATES.length ? (VALID_STATES[forced++] as InternalState) : weightedState(rng);
    } else {
      entry.state = rng.chance(0.7) ? 'en_construction' : 'en_instruction';
    }
  }
  return plan;
}

function weightedState(rng: Rng): InternalState {
  const r = rng.next();
  if (r < 0.45) return 'en_construction';
  if (r < 0.7) return 'en_instruction';
  if (r < 0.82) return 'accepte';
  if (r < 0.92) return 'refuse';
  return 'sans_suite';
}

export function dossierSeed(seed: number, demarcheNumber: number, index: number): number {
  return mixSeed(seed, demarcheNumber, index, 2);
}

export function identityFor(seed: number, demarcheNumber: number, index: number): Identity {
  const rng = createRng(mixSeed(seed, demarcheNumber, index, 3));
  const civilite = rng.chance(0.55) ? 'Mme' : 'M';
  const year = rng.int(1988, 1997);
  return {
    civilite,
    nom: rng.pick(NOMS),
    prenom: rng.pick(civilite === 'Mme' ? PRENOMS_F : PRENOMS_M),
    naissance: `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    rpps: rpps(rng),
  };
}

/** Same person written differently: case, accents, hyphens (normalisation must see through it). */
export function nameVariant(identity: Identity): Identity {
  const stripped = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return {
    ...identity,
    nom: stripped(identity.nom).toUpperCase(),
    prenom: identity.prenom.includes('-') ? identity.prenom.replace('-', ' ') : stripped(identity.prenom).toLowerCase(),
    rpps: '',
  };
}

export function places(def: ProgrammeDef): Place[] {
  return def.region === 'idf' ? PLACES_IDF : PLACES_NORMANDIE;
}

/** The organisation that files the dossiers (hospital, or université for AUMG). */
export function organisationFor(def: ProgrammeDef, seed: number, index: number): Organisation {
  const rng = createRng(mixSeed(seed, def.demarcheNumber, index, 4));
  const i = rng.int(0, 7);
  const place = places(def)[i] as Place;
  const name = def.id === 'aumg' ? (UNIVERSITES_IDF[i % UNIVERSITES_IDF.length] as string) : (hospitals(def)[i] as string);
  return {
    name,
    siret: siret(rng),
    address: addressOf(place),
    naf: def.id === 'aumg' ? '85.42Z' : '86.10Z',
    libelleNaf: def.id === 'aumg' ? 'Enseignement supérieur' : 'Activités hospitalières',
    email: `affaires.medicales@${slug(name).slice(0, 24)}.fr`,
  };
}

function hospitals(def: ProgrammeDef): string[] {
  return def.region === 'idf' ? HOPITAUX_IDF : HOPITAUX_NORMANDIE;
}

export interface DossierSeedData {
  identity: Identity;
  organisation: Organisation;
  start: string;
  scenario: Scenario;
}

const TEXTS = [
  "Projet construit avec l'équipe du service et la structure partenaire, centré sur l'accès aux soins du territoire.",
  'Consultations avancées deux jours par semaine et participation à la permanence des soins.',
  'Encadrement des internes, participation aux staffs pluridisciplinaires et aux travaux de recherche clinique.',
  'Développement d’une activité de télé-expertise avec les médecins généralistes du secteur.',
  "Mise en place d'un parcours de soins coordonné pour les patients âgés polypathologiques.",
];

const pdf = (filename: string): FileSpec => ({ filename, contentType: 'application/pdf' });

/** Builds the champ values of one dossier from its seed, then applies its scenario. */
export function generateValues(def: ProgrammeDef, seed: number, plan: PlanEntry): { values: Values; data: DossierSeedData } {
  const rng = createRng(dossierSeed(seed, def.demarcheNumber, plan.index));
  const scenario = SCENARIO_BY_ID.get(plan.scenario) ?? (SCENARIO_BY_ID.get('valide') as Scenario);
  let identity = identityFor(seed, def.demarcheNumber, plan.index);
  if (scenario.duplicateOf && plan.sourceIndex !== undefined) {
    const source = identityFor(seed, def.demarcheNumber, plan.sourceIndex);
    identity = scenario.duplicateOf === 'rpps' ? { ...identity, rpps: source.rpps } : { ...nameVariant(source), rpps: identity.rpps };
  }
  const organisation = organisationFor(def, seed, plan.index);
  const start = rng.pick(def.session.startDates);
  const values: Values = {};
  const ctx = { def, rng, identity, organisation, start };
  for (const field of def.fields) values[field.key] = valueFor(field, ctx);
  // The per-year block is generated as the flat split (same draws, same scenarios), then folded into rows.
  if (def.variant === 'quotites_par_annee') values['quotite_chu_1'] = null;
  completeDependentValues(values, rng);
  scenario.apply?.(values, { def, rng, start, identity });
  if (def.variant === 'quotites_par_annee') foldYearRows(values);
  return { values, data: { identity, organisation, start, scenario } };
}

interface GenCtx {
  def: ProgrammeDef;
  rng: Rng;
  identity: Identity;
  organisation: Organisation;
  start: string;
}

function valueFor(field: FieldDef, c: GenCtx): Values[string] {
  const { rng, identity, def } = c;
  const place = rng.pick(places(def));
  switch (field.key) {
    case 'civilite':
      return identity.civilite;
    case 'nom':
      return identity.nom;
    case 'prenom':
      return identity.prenom;
    case 'naissance':
      return identity.naissance;
    case 'email':
      return `${slug(identity.prenom)}.${slug(identity.nom)}@${rng.pick(['orange.fr', 'gmail.com', 'chu-rouen.fr', 'aphp.fr', 'laposte.net'])}`;
    case 'telephone':
      return `06 ${rng.int(10, 99)} ${rng.int(10, 99)} ${rng.int(10, 99)} ${rng.int(10, 99)}`;
    case 'specialite':
      return def.id === 'aumg' || def.id === 'mgvh' ? 'Médecine générale' : rng.pick(SPECIALITES.slice(1));
    case 'inscrit_ordre':
      return true;
    case 'rpps':
      return identity.rpps;
    case 'date_ordre':
      return undefined;
    case 'fin_internat':
      return addDays(addYears(c.start, -rng.int(1, 3)), -1);
    case 'universite':
      return c.organisation.name;
    case 'structure_nom':
      return rng.pick(STRUCTURES_SOINS);
    case 'structure_siret':
      return siret(rng);
    case 'structure_adresse':
    case 'adresse':
      return addressOf(place);
    case 'structure_commune':
      return {
        name: place.name,
        code: place.code,
        postalCode: place.postalCode,
        departmentCode: place.departmentCode,
        departmentName: place.departmentName,
      };
    case 'dept_partenaire':
    case 'dept_naissance':
      return { code: place.departmentCode, name: place.departmentName };
    case 'lieu_naissance':
      return place.name;
    case 'zone':
      return rng.pick(['ZIP', 'ZIP+', 'ZAC', 'QPV']);
    case 'etab_recruteur':
    case 'ch_employeur':
    case 'etab_hospitalier':
      return c.organisation.name;
    case 'etab_partenaire':
      return rng.pick(hospitals(def));
    case 'structure_ambulatoire':
      return rng.pick(STRUCTURES_SOINS);
    case 'finess':
      return finess(rng, c.organisation.address.departmentCode);
    case 'rang':
      return rng.int(1, 3);
    case 'demi_journees':
      return rng.int(2, 5);
    case 'poste_perenne':
      return rng.chance(0.7);
    case 'statut':
      return rng.pick(['Interne', 'Docteur Junior']);
    case 'chu':
      return rng.pick(['CHU de Rouen', 'CHU de Caen Normandie']);
    case 'subdivision':
      return rng.pick(['Rouen', 'Caen']);
    case 'date_prise':
      return c.start;
    case 'duree':
      return rng.pick(def.session.durationsYears ?? [1, 2]);
    case 'date_des':
      return addDays(c.start, -rng.int(10, 180));
    case 'these_soutenue':
      return true;
    case 'date_soutenance':
      return undefined;
    case 'quotite_chu_1':
    case 'quotite_chu_2':
      return null; // set below with their pair
    case 'langues':
      return ['Français', 'Anglais'];
    case 'quotites_par_annee':
      return null; // folded from the split once the scenario is applied
    case 'quotite_ambulatoire':
      return rng.pick([50, 60, 70]);
    case 'zone_prioritaire':
      return true;
    case 'justification_zone':
      return undefined;
    case 'consentement':
      return true;
    case 'diplomes':
      return def.id === 'asr' && rng.chance(0.3)
        ? [{ filename: 'scan_diplomes.jpg', contentType: 'image/jpeg' }]
        : [pdf(`Diplomes_${slug(identity.nom)}.pdf`)];
    default:
      return genericValue(field, c);
  }
}

function genericValue(field: FieldDef, c: GenCtx): Values[string] {
  const { rng } = c;
  switch (field.kind) {
    case 'header_section':
    case 'explication':
      return null;
    case 'text':
      return field.key.startsWith('complement_') ? `Précision ${rng.int(1, 999)}` : rng.pick(TEXTS).slice(0, 60);
    case 'textarea':
      return rng.pick(TEXTS);
    case 'drop_down_list':
      return field.key.endsWith('_sens') ? 'Favorable' : rng.pick(field.options ?? ['']);
    case 'piece_justificative':
      return [pdf(`${field.key}_${slug(c.identity.nom)}.pdf`)];
    case 'repetition':
      return Array.from({ length: rng.int(2, 4) }, (_, i): RowValue => {
        const row: RowValue = {};
        for (const childDef of field.children ?? []) {
          row[childDef.key] =
            childDef.key === 'semestre'
              ? `Semestre ${i + 1} (${2019 + i}-${2020 + i})`
              : childDef.key === 'etablissement'
                ? rng.pick(hospitals(c.def))
                : `Service de ${rng.pick(['médecine interne', 'gériatrie', 'pédiatrie', 'cardiologie', 'urgences'])}`;
        }
        return row;
      });
    case 'integer_number':
      return rng.int(1, 10);
    case 'decimal_number':
      return Math.round(rng.next() * 1000) / 10;
    case 'yes_no':
    case 'checkbox':
      return rng.chance(0.5);
    case 'date':
      return addDays(c.start, -rng.int(30, 400));
    default:
      return null;
  }
}

/**
 * The flat split (quotite_chu_1…) as rows of the per-year block, year 1 first, unless the scenario
 * wrote the rows itself; a year hidden by the condition (one-year post) has no row.
 */
function foldYearRows(values: Values): void {
  if (!Array.isArray(values['quotites_par_annee'])) {
    const rows: RowValue[] = [];
    const years: Array<[string, string, string]> = [
      ['Première année', 'quotite_chu_1', 'quotite_ch_1'],
      ['Deuxième année', 'quotite_chu_2', 'quotite_ch_2'],
    ];
    for (const [annee, chu, ch] of years) {
      const c = values[chu];
      const h = values[ch];
      if (typeof c === 'number' && typeof h === 'number') rows.push(yearRow(annee, c, h));
    }
    values['quotites_par_annee'] = rows;
  }
  for (const key of ['quotite_chu_1', 'quotite_ch_1', 'quotite_chu_2', 'quotite_ch_2']) delete values[key];
}

/** Fills pairs whose values depend on each other (time splits add up to 100 %). */
function completeDependentValues(values: Values, rng: Rng): void {
  if ('quotite_chu_1' in values) {
    const chu = rng.pick([20, 25, 30, 40]);
    values['quotite_chu_1'] = chu;
    values['quotite_ch_1'] = 100 - chu;
    const twoYears = values['duree'] === 2;
    values['quotite_chu_2'] = twoYears ? chu : undefined;
    values['quotite_ch_2'] = twoYears ? 100 - chu : undefined;
  }
  if (typeof values['quotite_ambulatoire'] === 'number') values['quotite_hospitaliere'] = 100 - values['quotite_ambulatoire'];
}

export interface DossierDates {
  createdAt: number;
  deposeAt: number;
  champsAt: number;
  updatedAt: number;
  passageEnInstructionAt: number | null;
  traitementAt: number | null;
}

/** Deposit and processing dates consistent with the session's closing date (Europe/Paris). */
export function datesFor(def: ProgrammeDef, seed: number, plan: PlanEntry): DossierDates {
  const rng = createRng(mixSeed(seed, def.demarcheNumber, plan.index, 5));
  const closing = def.session.closingDate;
  const scenario = SCENARIO_BY_ID.get(plan.scenario);
  let deposeAt: number;
  if (scenario?.deposit === 'last_minute') deposeAt = parisTime(closing, 23, 59);
  else if (scenario?.deposit === 'late') deposeAt = parisTime(addDays(closing, 1), 0, 10);
  else deposeAt = parisTime(addDays(closing, -rng.int(0, 55)), rng.int(8, 22), rng.int(0, 59));
  const createdAt = deposeAt - rng.int(1, 20) * DAY - rng.int(0, 86_399) * 1000;
  const champsAt = rng.chance(0.4) ? deposeAt + rng.int(60, 3 * 86_400) * 1000 : deposeAt;
  const instruction = plan.state !== 'en_construction' && plan.state !== 'brouillon';
  const passageEnInstructionAt = instruction ? parisTime(addDays(closing, rng.int(3, 12)), rng.int(9, 17), rng.int(0, 59)) : null;
  const terminal = plan.state === 'accepte' || plan.state === 'refuse' || plan.state === 'sans_suite';
  const traitementAt = terminal ? parisTime(addDays(closing, rng.int(35, 60)), rng.int(9, 17), rng.int(0, 59)) : null;
  const updatedAt = Math.max(champsAt, passageEnInstructionAt ?? 0, traitementAt ?? 0) + rng.int(0, 3_600) * 1000;
  return { createdAt, deposeAt, champsAt, updatedAt, passageEnInstructionAt, traitementAt };
}
