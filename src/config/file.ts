import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { PROGRAMMES } from '../domain/programmes/index.ts';
import { PROGRAMME_IDS, type ProgrammeId } from '../domain/programmes/types.ts';
import { didYouMean } from './did-you-mean.ts';
import { type Config, configSchema } from './file.schema.ts';
import { plural } from '../shared/plural.ts';

export type { ChampRef, Config, DemarcheConfig, MappingEntry, SessionConfig } from './file.schema.ts';

/** One configuration problem: where (`demarches[0].session.closingDate`) and what, in French. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * Reads and validates a configuration file (YAML for .yaml/.yml, JSON for .json). Every problem
 * is reported at once with its key path, in one AppError('config').
 */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError(
      'config',
      `Fichier de configuration illisible : ${path}. Vérifiez le chemin (option --config ou variable DS_ARS_CONFIG).`,
      { cause },
    );
  }
  const extension = extname(path).toLowerCase();
  let data: unknown;
  if (extension === '.json') {
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new AppError('config', `Fichier de configuration ${path} : JSON invalide${jsonWhere(text, cause)}. ${JSON_HINT}`, { cause });
    }
  } else if (extension === '.yaml' || extension === '.yml') {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      const lines = document.errors.map((e) => `- ${yamlProblem(e, text)}`);
      throw new AppError(
        'config',
        `Fichier de configuration ${path} : YAML invalide.\n${lines.join('\n')}\nCorrigez ces lignes puis relancez la commande.`,
      );
    }
    data = document.toJS();
  } else {
    throw new AppError(
      'config',
      `Fichier de configuration ${path} : extension « ${extension || '(aucune)'} » non prise en charge ; utilisez .yaml, .yml ou .json.`,
    );
  }
  return parseConfig(data, path);
}

// The yaml library explains in English; what each of its codes means, for the person editing the file.
const YAML_PROBLEMS: Partial<Record<YAMLError['code'], string>> = {
  BAD_INDENT: 'indentation incohérente (les clés d’un même bloc s’alignent, avec des espaces)',
  TAB_AS_INDENT: 'tabulation en début de ligne (indentez avec des espaces)',
  DUPLICATE_KEY: 'clé en double dans le même bloc',
  MISSING_CHAR: 'caractère manquant (guillemet, crochet ou accolade non refermé ?)',
  MULTILINE_IMPLICIT_KEY: 'clé sur plusieurs lignes (un « : » ou un guillemet manque-t-il ?)',
  BLOCK_AS_IMPLICIT_KEY: 'bloc utilisé comme clé (un « : » manque-t-il à la ligne précédente ?)',
  UNEXPECTED_TOKEN: 'caractère inattendu (texte contenant « : » ou « # » à mettre entre guillemets ?)',
  BAD_SCALAR_START: 'valeur commençant par un caractère réservé (mettez-la entre guillemets)',
  BAD_DQ_ESCAPE: 'séquence « \\ » invalide entre guillemets doubles (utilisez des guillemets simples)',
  BLOCK_IN_FLOW: 'bloc à l’intérieur de crochets ou d’accolades',
  KEY_OVER_1024_CHARS: 'clé de plus de 1 024 caractères',
  MULTIPLE_DOCS: 'plusieurs documents (« --- ») dans le fichier : un seul est attendu',
  BAD_ALIAS: 'alias (*nom) sans ancre (&nom) correspondante',
  NON_STRING_KEY: 'clé qui n’est pas un texte',
};

// Some codes cover several mistakes: the library's English message tells which.
const YAML_MESSAGES: [RegExp, string][] = [
  [
    /Sequence item without - indicator|All sequence items must start at the same column/,
    'élément de liste mal aligné (les clés d’un élément « - » s’alignent sous la première, avec le même nombre d’espaces)',
  ],
  [/Missing closing "quote|Missing closing 'quote/, 'guillemet non refermé'],
  [/Nested mappings are not allowed in compact mappings/, 'deux « : » sur la même ligne (mettez la valeur entre guillemets)'],
  [/Implicit map keys need to be followed by map values/, 'clé sans « : » (ajoutez « : » après la clé)'],
  [/Comments must be separated/, '« # » collé au texte (mettez un espace avant, ou la valeur entre guillemets)'],
  [/Missing , /, 'virgule manquante entre deux éléments entre crochets ou accolades'],
  [/Missing space after :/, 'espace manquant après « : »'],
];

/** One YAML syntax error in French: line, column, what is wrong and the line itself. */
function yamlProblem(error: YAMLError, text: string): string {
  const at = error.linePos?.[0];
  const where = at ? `ligne ${at.line}, colonne ${at.col}` : 'emplacement inconnu';
  const what =
    YAML_MESSAGES.find(([pattern]) => pattern.test(error.message))?.[1] ?? YAML_PROBLEMS[error.code] ?? `erreur de syntaxe (${error.code})`;
  const line = at ? text.split(/\r?\n/)[at.line - 1]?.trim() : undefined;
  return `${where} : ${what}${line ? ` — « ${line} »` : ''}`;
}

const JSON_HINT = 'Vérifiez les virgules (aucune après le dernier élément), les guillemets doubles et les accolades.';

/** « à la ligne 3, colonne 18 » from V8's « … at position 42 » (or « line 3 column 18 »). */
function jsonWhere(text: string, cause: unknown): string {
  const message = cause instanceof Error ? cause.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` à la ligne ${lineColumn[1]}, colonne ${lineColumn[2]}`;
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const before = text.slice(0, Number(position[1])).split('\n');
    return ` à la ligne ${before.length}, colonne ${(before.at(-1)?.length ?? 0) + 1}`;
  }
  return message.includes('Unexpected end') ? ' (fin du fichier atteinte avant la fin du JSON)' : '';
}

/** Validates an already-parsed configuration object; `sourceName` names it in messages. */
export function parseConfig(data: unknown, sourceName: string): Config {
  const problems: ConfigProblem[] = [];
  const result = configSchema.safeParse(data, { error: frenchMessage });
  if (!result.success) {
    for (const issue of result.error.issues) problems.push({ path: formatPath(issue.path), message: issue.message });
  }
  problems.push(...programmeProblems(data));
  if (problems.length > 0 || !result.success) {
    const unique = dedupe(problems);
    throw new AppError(
      'config',
      `Configuration invalide (${sourceName}) — ${plural(unique.length, 'problème')} :\n${unique.map((p) => `- ${p.path} : ${p.message}`).join('\n')}\nCorrigez ces points puis relancez la commande.`,
      { details: { problems: unique } },
    );
  }
  return result.data;
}

/**
 * Stable hash of the normalised configuration (defaults applied, keys sorted). Findings keep the
 * hash they were computed with, so a configuration change triggers a re-evaluation.
 */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(racine)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const TYPE_NAMES: Record<string, string> = {
  string: 'texte',
  number: 'nombre',
  int: 'nombre entier',
  boolean: 'booléen (true ou false)',
  array: 'liste',
  object: 'objet (clé: valeur)',
  date: 'date',
};

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'une liste';
  if (typeof input === 'string') return `le texte « ${input.length > 40 ? `${input.slice(0, 40)}…` : input} »`;
  if (typeof input === 'object') return 'un objet';
  return String(input);
}

// Per-parse error map: schema-level messages win, this covers the generic cases in French.
function frenchMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'valeur obligatoire manquante';
      return `${TYPE_NAMES[issue.expected] ?? issue.expected} attendu, reçu ${describe(issue.input)}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { def?: { shape?: Record<string, unknown> } } | undefined)?.def?.shape;
      const known = shape ? Object.keys(shape) : [];
      return issue.keys
        .map((key) => {
          const guess = didYouMean(key, known);
          return `clé inconnue « ${key} »${guess ? ` (vouliez-vous dire « ${guess} » ?)` : known.length > 0 ? ` (clés possibles : ${known.join(', ')})` : ''}`;
        })
        .join(' ; ');
    }
    case 'too_small':
      if (issue.origin === 'array') return `au moins ${plural(Number(issue.minimum), 'élément attendu', 'éléments attendus')}`;
      if (issue.origin === 'string') return 'ne doit pas être vide';
      return `doit être supérieur ou égal à ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `au plus ${plural(Number(issue.maximum), 'élément attendu', 'éléments attendus')}`;
      if (issue.origin === 'string') return `au plus ${String(issue.maximum)} caractères`;
      return `doit être inférieur ou égal à ${String(issue.maximum)}`;
    case 'invalid_value':
      return `valeur attendue parmi : ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'email' ? 'adresse e-mail invalide' : issue.format === 'url' ? 'URL invalide' : 'format invalide';
    case 'invalid_union':
      return 'valeur non reconnue';
    case 'invalid_key':
      return 'clé invalide';
    default:
      return undefined;
  }
}

/**
 * Checks that need the programme: mapping keys and piece lists must be fields of the démarche's
 * programme. Runs on the raw input so these problems are listed with the structural ones.
 */
function programmeProblems(data: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isRecord(data) || !Array.isArray(data.demarches)) return problems;
  const numbers = new Map<unknown, number>();
  data.demarches.forEach((demarche: unknown, index: number) => {
    if (!isRecord(demarche)) return;
    const at = `demarches[${index}]`;
    if (typeof demarche.number === 'number') {
      const first = numbers.get(demarche.number);
      if (first !== undefined)
        problems.push({ path: `${at}.number`, message: `démarche ${demarche.number} déjà déclarée en demarches[${first}]` });
      else numbers.set(demarche.number, index);
    }
    if (typeof demarche.programme !== 'string' || !(PROGRAMME_IDS as readonly string[]).includes(demarche.programme)) {
      if (typeof demarche.programme === 'string') {
        const guess = didYouMean(demarche.programme, PROGRAMME_IDS);
        if (guess)
          problems.push({
            path: `${at}.programme`,
            message: `programme « ${demarche.programme} » inconnu (vouliez-vous dire « ${guess} » ?)`,
          });
      }
      return;
    }
    const programme = PROGRAMMES[demarche.programme as ProgrammeId];
    const keys = programme.fields.map((f) => f.spec.key);
    const pieceKeys = programme.fields.filter((f) => f.spec.kind === 'piece').map((f) => f.spec.key);
    if (isRecord(demarche.mapping)) {
      for (const key of Object.keys(demarche.mapping)) {
        if (keys.includes(key)) continue;
        const guess = didYouMean(key, keys);
        problems.push({
          path: `${at}.mapping[${JSON.stringify(key)}]`,
          message: `champ « ${key} » inconnu du programme ${programme.id}${guess ? ` (vouliez-vous dire « ${guess} » ?)` : ''}`,
        });
      }
    }
    for (const listKey of ['requiredPieces', 'pdfOnly'] as const) {
      const list = demarche[listKey];
      if (!Array.isArray(list)) continue;
      list.forEach((key: unknown, i: number) => {
        if (typeof key !== 'string' || pieceKeys.includes(key)) return;
        const guess = didYouMean(key, pieceKeys);
        problems.push({
          path: `${at}.${listKey}[${i}]`,
          message: `pièce « ${key} » inconnue du programme ${programme.id}${guess ? ` (vouliez-vous dire « ${guess} » ?)` : ` (pièces possibles : ${pieceKeys.join(', ')})`}`,
        });
      });
    }
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
