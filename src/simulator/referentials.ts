/** Plausible French reference data: people, establishments, places. */
import type { AddressValue, CommuneValue } from './model.ts';

export const NOMS = [
  'Lefèvre',
  'Martin',
  'Dubois',
  'Nguyen',
  'Le Goff',
  "N'Diaye",
  'Martin-Lagardère',
  'Benoît',
  'Gauthier',
  'Ménard',
  'Da Silva',
  "D'Almeida",
  'Fontaine',
  'Châtelain',
  'Bézier',
  'Rousseau',
  'Haddad',
  'Lemaître',
  'Giraud',
  'Morel',
  'Girard-Lefort',
  'Benali',
  'Perrin',
  'Caron',
  'Lecœur',
  'Delaunay',
  'Muller',
  'Roux',
  'Boyer',
  'Garnier',
  'Faure',
  'Mercier',
  'Blanchard',
  'Guérin',
  'Brunet',
  'Leclerc',
  "O'Neill",
  'Dupré',
  'Hébert',
  'Vasseur',
  'Colin',
  'Marchand',
  'Duval',
  'Lemoine',
  'Barbier',
  'Renaud',
  'Schmitt',
  'Traoré',
];
export const PRENOMS_F = [
  'Éloïse',
  'Anaïs',
  'Maëlle',
  'Héloïse',
  'Zoé',
  'Noémie',
  'Chloé',
  'Inès',
  'Léa',
  'Célia',
  'Amélie',
  'Marie-Hélène',
  'Sarah',
  'Camille',
  'Manon',
  'Clémence',
  'Yasmine',
  'Océane',
  'Bérénice',
  'Agathe',
];
export const PRENOMS_M = [
  'Jean-Baptiste',
  'Mathis',
  'Théo',
  'François',
  'Jérôme',
  'Gaëtan',
  'Loïc',
  'Yannick',
  'Aurélien',
  'Hugo',
  'Karim',
  'Thomas',
  'Raphaël',
  'Benoît',
  'Mehdi',
  'Étienne',
  'Côme',
  'Joël',
  'Antoine',
  'Pierre-Louis',
];

export const SPECIALITES = [
  'Médecine générale',
  'Anesthésie-réanimation',
  'Cardiologie et maladies vasculaires',
  'Gériatrie',
  'Médecine d’urgence',
  'Pédiatrie',
  'Psychiatrie',
  'Gynécologie médicale',
  'Pneumologie',
  'Radiologie et imagerie médicale',
  'Néphrologie',
  'Oncologie',
  'Dermatologie et vénéréologie',
  'Ophtalmologie',
  'Endocrinologie-diabétologie-nutrition',
];

export const AVIS_OPTIONS = ['Favorable', 'Favorable avec réserves', 'Défavorable'];

export interface Place extends CommuneValue {
  street: string;
  regionCode: string;
  regionName: string;
}

const IDF = { regionCode: '11', regionName: 'Île-de-France' };
const NOR = { regionCode: '28', regionName: 'Normandie' };

export const PLACES_IDF: Place[] = [
  {
    name: 'Paris 12e Arrondissement',
    code: '75112',
    postalCode: '75012',
    departmentCode: '75',
    departmentName: 'Paris',
    street: '184 rue du Faubourg Saint-Antoine',
    ...IDF,
  },
  {
    name: 'Créteil',
    code: '94028',
    postalCode: '94000',
    departmentCode: '94',
    departmentName: 'Val-de-Marne',
    street: '40 avenue de Verdun',
    ...IDF,
  },
  {
    name: 'Saint-Denis',
    code: '93066',
    postalCode: '93200',
    departmentCode: '93',
    departmentName: 'Seine-Saint-Denis',
    street: '2 rue du Docteur Delafontaine',
    ...IDF,
  },
  {
    name: 'Suresnes',
    code: '92073',
    postalCode: '92150',
    departmentCode: '92',
    departmentName: 'Hauts-de-Seine',
    street: '40 rue Worth',
    ...IDF,
  },
  {
    name: 'Argenteuil',
    code: '95018',
    postalCode: '95100',
    departmentCode: '95',
    departmentName: "Val-d'Oise",
    street: '69 rue du Lieutenant-Colonel Prud’hon',
    ...IDF,
  },
  {
    name: 'Corbeil-Essonnes',
    code: '91174',
    postalCode: '91100',
    departmentCode: '91',
    departmentName: 'Essonne',
    street: '40 avenue Serge Dassault',
    ...IDF,
  },
  {
    name: 'Mantes-la-Jolie',
    code: '78361',
    postalCode: '78200',
    departmentCode: '78',
    departmentName: 'Yvelines',
    street: '2 boulevard Sully',
    ...IDF,
  },
  {
    name: 'Meaux',
    code: '77284',
    postalCode: '77100',
    departmentCode: '77',
    departmentName: 'Seine-et-Marne',
    street: '6-8 rue Saint-Fiacre',
    ...IDF,
  },
];

export const PLACES_NORMANDIE: Place[] = [
  {
    name: 'Rouen',
    code: '76540',
    postalCode: '76000',
    departmentCode: '76',
    departmentName: 'Seine-Maritime',
    street: '1 rue de Germont',
    ...NOR,
  },
  {
    name: 'Dieppe',
    code: '76217',
    postalCode: '76200',
    departmentCode: '76',
    departmentName: 'Seine-Maritime',
    street: 'avenue Pasteur',
    ...NOR,
  },
  {
    name: 'Le Havre',
    code: '76351',
    postalCode: '76600',
    departmentCode: '76',
    departmentName: 'Seine-Maritime',
    street: '29 avenue Pierre Mendès France',
    ...NOR,
  },
  {
    name: 'Évreux',
    code: '27229',
    postalCode: '27000',
    departmentCode: '27',
    departmentName: 'Eure',
    street: 'rue Léon Schwartzenberg',
    ...NOR,
  },
  {
    name: 'Caen',
    code: '14118',
    postalCode: '14000',
    departmentCode: '14',
    departmentName: 'Calvados',
    street: 'avenue de la Côte de Nacre',
    ...NOR,
  },
  {
    name: 'Lisieux',
    code: '14366',
    postalCode: '14100',
    departmentCode: '14',
    departmentName: 'Calvados',
    street: '4 rue Roger Aini',
    ...NOR,
  },
  {
    name: 'Saint-Lô',
    code: '50502',
    postalCode: '50000',
    departmentCode: '50',
    departmentName: 'Manche',
    street: '715 rue Henri Dunant',
    ...NOR,
  },
  {
    name: 'Alençon',
    code: '61001',
    postalCode: '61000',
    departmentCode: '61',
    departmentName: 'Orne',
    street: '25 rue de Fresnay',
    ...NOR,
  },
];

export const HOPITAUX_IDF = [
  'Centre hospitalier intercommunal de Créteil',
  'Hôpital Foch',
  'Centre hospitalier de Saint-Denis',
  "Centre hospitalier Victor Dupouy d'Argenteuil",
  'Centre hospitalier Sud Francilien',
  'Centre hospitalier François Quesnay de Mantes-la-Jolie',
  'Grand hôpital de l’Est francilien – Meaux',
  'Hôpital Saint-Joseph',
];
export const HOPITAUX_NORMANDIE = [
  'Centre hospitalier de Dieppe',
  'Groupe hospitalier du Havre',
  'Centre hospitalier intercommunal Eure-Seine (Évreux)',
  'Centre hospitalier Robert Bisson de Lisieux',
  'Centre hospitalier Mémorial de Saint-Lô',
  "Centre hospitalier intercommunal d'Alençon-Mamers",
  'Centre hospitalier public du Cotentin',
  'Centre hospitalier du Rouvray',
];
export const UNIVERSITES_IDF = [
  'Université Paris Cité',
  'Sorbonne Université',
  'Université Paris-Saclay',
  'Université Paris-Est Créteil',
  'Université Sorbonne Paris Nord',
  'Université de Versailles Saint-Quentin-en-Yvelines',
];
export const STRUCTURES_SOINS = [
  'Maison de santé pluriprofessionnelle des Lilas',
  'Centre municipal de santé Louis Fernet',
  'Maison de santé du Val de Seine',
  'Centre de santé Richerand',
  'Cabinet médical de la Croix-Rouge',
  'Maison de santé pluriprofessionnelle Simone-Veil',
  'Centre de santé de la Goutte d’Or',
];

export function addressOf(place: Place): AddressValue {
  return {
    label: `${place.street} ${place.postalCode} ${place.name}`,
    streetAddress: place.street,
    postalCode: place.postalCode,
    cityName: place.name,
    cityCode: place.code,
    departmentCode: place.departmentCode,
    departmentName: place.departmentName,
    regionCode: place.regionCode,
    regionName: place.regionName,
  };
}

/** ASCII slug for e-mail addresses and file names. */
const slugs = new Map<string, string>();

export function slug(text: string): string {
  let found = slugs.get(text);
  if (found === undefined) {
    found = slugUncached(text);
    if (slugs.size < 10_000) slugs.set(text, found);
  }
  return found;
}

function slugUncached(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
