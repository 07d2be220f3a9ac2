import { type ChampDescriptorInfo, isLayoutType } from './descriptors.ts';
import { MATCH_THRESHOLD } from './match-labels.ts';
import { labelSimilarity } from './similarity.ts';

export type AnnotationKey = 'synthese' | 'complet' | 'eligibilite' | 'dateControle';

/** Wordings of the private annotations ds-ars writes; `init` proposes the closest ones. */
const WORDINGS: Record<AnnotationKey, { types: readonly string[]; wordings: readonly string[] }> = {
  synthese: {
    types: ['Textarea', 'Text'],
    wordings: ['Contrôle automatique – synthèse', 'Synthèse du contrôle automatique', 'Synthèse du contrôle', 'Constats du contrôle'],
  },
  complet: {
    types: ['Checkbox', 'YesNo', 'DropDownList', 'Text'],
    wordings: ['Contrôle automatique – complet', 'Dossier complet', 'Complétude du dossier'],
  },
  eligibilite: {
    types: ['DropDownList', 'Text', 'YesNo'],
    wordings: ['Contrôle automatique – éligibilité', 'Éligibilité', 'Dossier éligible'],
  },
  dateControle: {
    types: ['Date', 'Datetime', 'Text'],
    wordings: ['Contrôle automatique – date', 'Date du contrôle automatique', 'Date du contrôle'],
  },
};

/** Proposes the annotation descriptor for each key ds-ars writes, best scores first, one each. */
export function matchAnnotations(descriptors: readonly ChampDescriptorInfo[]): Partial<Record<AnnotationKey, ChampDescriptorInfo>> {
  const pairs: Array<{ key: AnnotationKey; descriptor: ChampDescriptorInfo; score: number }> = [];
  for (const [key, spec] of Object.entries(WORDINGS) as Array<[AnnotationKey, (typeof WORDINGS)[AnnotationKey]]>) {
    for (const d of descriptors) {
      if (isLayoutType(d.type) || !spec.types.includes(d.type)) continue;
      const score = Math.max(...spec.wordings.map((w) => labelSimilarity(d.label, w)));
      if (score >= MATCH_THRESHOLD) pairs.push({ key, descriptor: d, score });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  const out: Partial<Record<AnnotationKey, ChampDescriptorInfo>> = {};
  const used = new Set<string>();
  for (const p of pairs) {
    if (out[p.key] !== undefined || used.has(p.descriptor.id)) continue;
    out[p.key] = p.descriptor;
    used.add(p.descriptor.id);
  }
  return out;
}
