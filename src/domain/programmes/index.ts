import { asap } from './asap.ts';
import { asp } from './asp.ts';
import { asr } from './asr.ts';
import { aumg } from './aumg.ts';
import { mgvh } from './mgvh.ts';
import type { FieldSpec, Programme, ProgrammeField, ProgrammeId } from './types.ts';

export { PROGRAMME_IDS } from './types.ts';
export type { FieldKind, FieldSpec, Programme, ProgrammeField, ProgrammeId } from './types.ts';

export const PROGRAMMES: Readonly<Record<ProgrammeId, Programme>> = { aumg, asp, mgvh, asr, asap };

export function getProgramme(id: ProgrammeId): Programme {
  return PROGRAMMES[id];
}

export function programmeField(programme: Programme, key: string): ProgrammeField | undefined {
  return programme.fields.find((f) => f.spec.key === key);
}

export function fieldSpec(programme: Programme, key: string): FieldSpec | undefined {
  return programmeField(programme, key)?.spec;
}
