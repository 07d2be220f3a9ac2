/** Shared types of the simulator's in-memory model. */

export type ProgrammeId = 'aumg' | 'asp' | 'mgvh' | 'asr' | 'asap';
export const PROGRAMME_IDS: readonly ProgrammeId[] = ['aumg', 'asp', 'mgvh', 'asr', 'asap'];

/** What the démarche's call uses (dates are calendar dates, Europe/Paris). */
export interface SessionParams {
  closingDate: string;
  startDates: string[];
  durationsYears?: number[];
  monthlyAmountEur?: number;
  months?: number;
}

export type FieldKind =
  | 'header_section'
  | 'explication'
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'date'
  | 'datetime'
  | 'checkbox'
  | 'yes_no'
  | 'integer_number'
  | 'decimal_number'
  | 'siret'
  | 'address'
  | 'commune'
  | 'departement'
  | 'civilite'
  | 'drop_down_list'
  | 'multiple_drop_down_list'
  | 'linked_drop_down_list'
  | 'repetition'
  | 'piece_justificative';

export interface FieldDef {
  key: string;
  stableId: number;
  kind: FieldKind;
  label: string;
  description?: string;
  required: boolean;
  options?: string[];
  otherOption?: boolean;
  children?: FieldDef[];
}

export interface FileSpec {
  filename: string;
  contentType: string;
}

export interface AddressValue {
  label: string;
  streetAddress: string;
  postalCode: string;
  cityName: string;
  cityCode: string;
  departmentCode: string;
  departmentName: string;
  regionCode: string;
  regionName: string;
}

export interface CommuneValue {
  name: string;
  code: string;
  postalCode: string;
  departmentCode: string;
  departmentName: string;
}

export interface DepartementValue {
  code: string;
  name: string;
}

export type RowValue = Record<string, FieldValue>;

/** `undefined` in a values record means the champ is hidden by a condition (absent from the API). */
export type FieldValue =
  | string
  | number
  | boolean
  | null
  | string[]
  | FileSpec[]
  | AddressValue
  | CommuneValue
  | DepartementValue
  | RowValue[];

export type Values = Record<string, FieldValue | undefined>;

export type InternalState = 'brouillon' | 'en_construction' | 'en_instruction' | 'accepte' | 'refuse' | 'sans_suite';

export type DeletedReason =
  | 'expired'
  | 'instructeur_request'
  | 'manager_request'
  | 'procedure_removed'
  | 'user_expired'
  | 'user_removed'
  | 'user_request';

export interface ExpectedVerdict {
  scenario: string;
  complet: boolean;
  eligible: 'oui' | 'non' | 'a_verifier';
  rules: string[];
}

export interface Traitement {
  event: string;
  dateTraitement: number;
  emailAgentTraitant: string | null;
  motivation: string | null;
}

export interface Message {
  id: number;
  email: string;
  body: string;
  createdAt: number;
  correction: { reason: string; dateResolution: number | null } | null;
  attachmentBlobId: string | null;
}

export interface Organisation {
  name: string;
  siret: string;
  address: AddressValue;
  naf: string;
  libelleNaf: string;
  email: string;
}

export interface Identity {
  civilite: 'M' | 'Mme';
  nom: string;
  prenom: string;
  naissance: string;
  rpps: string;
}
