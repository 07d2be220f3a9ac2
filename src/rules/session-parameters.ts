import type { SessionConfig } from '../config/file.schema.ts';
import type { ProgrammeId } from '../domain/programmes/types.ts';
import { DURATION_DEFAULTS, SESSION_THRESHOLD_DEFAULTS as D } from '../domain/programmes/session-defaults.ts';
import type { CalendarDate } from '../shared/dates.ts';
import { frenchYears } from '../shared/french-format.ts';

/** Every parameter of the call the rules read, the seeds' defaults applied. */
export interface SessionParameters {
  readonly closingDate: CalendarDate;
  readonly startDates: readonly CalendarDate[];
  readonly durationsYears: readonly number[];
  readonly zones: { readonly accepted: readonly string[]; readonly refuseOther: boolean };
  readonly requiredDes: readonly string[];
  readonly postInternship: {
    readonly alertFromYears: number;
    readonly maxYears: number;
    readonly alertFromIncluded: boolean;
    readonly maxIncluded: boolean;
  };
  readonly timeSplitAsr: {
    readonly chuMinPercent: number;
    readonly chuMaxPercent: number;
    readonly chMinPercent: number;
    readonly totalPercent: number;
  };
  readonly timeSplitAsap: { readonly ambulatoryMinPercent: number; readonly totalPercent: number };
  /** Parameters the configuration leaves out, so taken from the seed: `durationsYears`, `timeSplitAsr.chuMinPercent`… */
  readonly defaulted: ReadonlySet<string>;
}

type SessionInput = Pick<SessionConfig, 'closingDate'> & Partial<Omit<SessionConfig, 'closingDate'>>;

export function sessionParameters(programme: ProgrammeId, session: SessionInput): SessionParameters {
  const defaulted = new Set<string>();
  const pick = <K extends keyof SessionParameters, T>(key: K, given: T | undefined, fallback: T): T => {
    if (given === undefined) defaulted.add(key);
    return given ?? fallback;
  };
  const merge = <K extends keyof SessionParameters, T extends object>(
    key: K,
    given: { [P in keyof T]?: unknown } | undefined,
    fallback: T,
  ): T => {
    for (const sub of Object.keys(fallback))
      if ((given as Record<string, unknown> | undefined)?.[sub] === undefined) defaulted.add(`${key}.${sub}`);
    return { ...fallback, ...Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined)) } as T;
  };
  return {
    closingDate: session.closingDate,
    startDates: session.startDates ?? [],
    durationsYears: pick('durationsYears', session.durationsYears, DURATION_DEFAULTS[programme] ?? []),
    zones: merge<'zones', SessionParameters['zones']>('zones', session.zones, D.zones),
    requiredDes: pick('requiredDes', session.requiredDes, D.requiredDes),
    postInternship: merge<'postInternship', SessionParameters['postInternship']>(
      'postInternship',
      session.postInternship,
      D.postInternship,
    ),
    timeSplitAsr: merge<'timeSplitAsr', SessionParameters['timeSplitAsr']>('timeSplitAsr', session.timeSplitAsr, D.timeSplitAsr),
    timeSplitAsap: merge<'timeSplitAsap', SessionParameters['timeSplitAsap']>('timeSplitAsap', session.timeSplitAsap, D.timeSplitAsap),
    defaulted,
  };
}

const frDate = (date: string) => date.split('-').reverse().join('/');
const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ou ${items.at(-1)}`);

/**
 * « Paramètres de la session » as the Synthèse sheet shows them: the values the rules of this
 * programme used, each marked when it is the seed's default rather than the configuration's.
 */
export function sessionParameterLines(programme: ProgrammeId, p: SessionParameters): Array<[string, string]> {
  const mark = (keys: string | readonly string[], text: string) => {
    const used = typeof keys === 'string' ? [keys] : keys;
    const defaulted = used.filter((k) => p.defaulted.has(k)).length;
    return defaulted === 0 ? text : defaulted === used.length ? `${text} (valeur par défaut)` : `${text} (en partie valeur par défaut)`;
  };
  const lines: Array<[string, string]> = [
    ['Date de clôture (incluse, heure de Paris)', frDate(p.closingDate)],
    ['Dates de prise de fonction', p.startDates.length > 0 ? p.startDates.map(frDate).join(', ') : 'non renseignées (session.startDates)'],
  ];
  if (programme === 'asr' || programme === 'asap' || programme === 'aumg') {
    lines.push([
      'Durées possibles',
      mark('durationsYears', p.durationsYears.length > 0 ? frenchYears(p.durationsYears) : 'non renseignées (session.durationsYears)'),
    ]);
  }
  if (programme === 'aumg') {
    const post = p.postInternship;
    lines.push(
      ['Zones acceptées pour la structure', mark('zones.accepted', list(p.zones.accepted))],
      ['Autre zone saisie en texte libre', mark('zones.refuseOther', p.zones.refuseOther ? 'refusée (bloquant)' : 'à vérifier (alerte)')],
      ['DES exigé', mark('requiredDes', list(p.requiredDes))],
      [
        'Fin d’internat avant la prise de fonction',
        mark(
          ['alertFromYears', 'maxYears', 'alertFromIncluded', 'maxIncluded'].map((k) => `postInternship.${k}`),
          `alerte à partir de ${post.alertFromYears} ans${post.alertFromIncluded ? ' (inclus)' : ' (exclus)'}, refus au-delà de ${post.maxYears} ans${post.maxIncluded ? ` (${post.maxYears} ans exactement acceptés)` : ` (${post.maxYears} ans exactement refusés)`}`,
        ),
      ],
    );
  }
  if (programme === 'asr') {
    const q = p.timeSplitAsr;
    lines.push(
      [
        'Quotité au CHU, par an',
        mark(['timeSplitAsr.chuMinPercent', 'timeSplitAsr.chuMaxPercent'], `de ${q.chuMinPercent} % à ${q.chuMaxPercent} %`),
      ],
      ['Quotité au centre hospitalier, par an', mark('timeSplitAsr.chMinPercent', `au moins ${q.chMinPercent} %`)],
      ['Total CHU + centre hospitalier', mark('timeSplitAsr.totalPercent', `${q.totalPercent} %`)],
    );
  }
  if (programme === 'asap') {
    const q = p.timeSplitAsap;
    lines.push(
      ['Quotité en structure ambulatoire', mark('timeSplitAsap.ambulatoryMinPercent', `au moins ${q.ambulatoryMinPercent} %`)],
      ['Total hospitalier + ambulatoire', mark('timeSplitAsap.totalPercent', `${q.totalPercent} %`)],
    );
  }
  return lines;
}
