import type { FieldStatus, FieldValue, FileRef } from './field-value.ts';
import type { ResolvedChamp } from './mapping/resolve-mapping.ts';
import type { FieldKind, FieldSpec } from '../domain/programmes/types.ts';
import { parseLooseBoolean } from './validators/booleans.ts';
import { type CalendarDate, parisDateOf, parseCalendarDate } from '../shared/dates.ts';
import { parseLooseNumber } from './validators/numbers.ts';
import { parsePercent } from './validators/percent.ts';

/** What a field shows of the answer: filled or not, its raw text, its choices and files. */
export interface FieldContent {
  readonly filled: boolean;
  readonly raw: string | null;
  readonly values: readonly string[];
  readonly files: readonly FileRef[];
}

/** The champ the typed readings come from (the first filled line of a repetition). */
export interface ReadingSource {
  /** DS champ type ('Text', 'DecimalNumber'…). */
  readonly type: string;
  readonly raw: string | null;
  /** A yes/no DS typed itself (Checkbox, YesNo). */
  readonly bool: boolean | null;
  readonly decimalValue: number | null | undefined;
}

/**
 * A mapped field present in the answer. Its typed readings (date, number, percent, boolean) are
 * computed on first read and kept: rules read a few of them per field, and reading every one of
 * every field was most of the cost of building a candidature. Same values as computing them upfront.
 */
export class MappedField implements FieldValue {
  readonly field: string;
  readonly kind: FieldKind;
  readonly status: FieldStatus;
  readonly label: string;
  readonly champId: string;
  readonly mapped = true;
  readonly type: string;
  readonly required: boolean;
  readonly raw: string | null;
  readonly values: readonly string[];
  readonly files: readonly FileRef[];
  readonly #source: ReadingSource;
  #text: string | null | undefined;
  #date: CalendarDate | null | undefined;
  #number: number | null | undefined;
  #percent: number | null | undefined;
  #boolean: boolean | null | undefined;

  constructor(spec: FieldSpec, resolved: ResolvedChamp, label: string, content: FieldContent, source: ReadingSource) {
    this.field = spec.key;
    this.kind = spec.kind;
    this.status = content.filled ? 'rempli' : 'vide';
    this.label = label;
    this.champId = resolved.descriptorId;
    this.type = resolved.type;
    this.required = resolved.required;
    this.raw = content.raw;
    this.values = content.values;
    this.files = content.files;
    this.#source = source;
  }

  get text(): string | null {
    if (this.#text === undefined) this.#text = this.#source.raw === null ? null : this.#source.raw.trim();
    return this.#text;
  }

  get date(): CalendarDate | null {
    if (this.#date === undefined) {
      const text = this.text;
      this.#date = text === null ? null : this.#source.type === 'Datetime' ? parisDateOf(text) : parseCalendarDate(text);
    }
    return this.#date;
  }

  get number(): number | null {
    if (this.#number === undefined) this.#number = this.#decimal() ?? parseLooseNumber(this.text);
    return this.#number;
  }

  get percent(): number | null {
    if (this.#percent === undefined) this.#percent = this.#decimal() ?? parsePercent(this.text);
    return this.#percent;
  }

  get boolean(): boolean | null {
    if (this.#boolean === undefined) this.#boolean = this.#source.bool ?? parseLooseBoolean(this.text);
    return this.#boolean;
  }

  /** The reading that matches the field's kind. */
  get value(): FieldValue['value'] {
    if (this.status !== 'rempli' && this.kind !== 'boolean') return null;
    switch (this.kind) {
      case 'date':
        return this.date;
      case 'number':
        return this.number;
      case 'percent':
        return this.percent;
      case 'boolean':
        return this.boolean;
      case 'piece':
        return this.files;
      case 'choice':
        return this.values;
      default:
        return this.text;
    }
  }

  // A DecimalNumber champ is read as DS typed it.
  #decimal(): number | null {
    const { type, decimalValue } = this.#source;
    return type === 'DecimalNumber' && decimalValue != null ? decimalValue : null;
  }
}
