/** docs/champs.md lists the field keys of each programme as the code defines them (issue #16 § 3). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldKeysMarkdown } from '../src/domain/programmes/field-docs.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';

describe('docs/champs.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'champs.md'), 'utf8');

  it('is the generated list (regenerate it with the command at its top when a programme changes)', () => {
    expect(doc).toBe(fieldKeysMarkdown());
  });

  it('names every key of every programme, FINESS for ASR included', () => {
    for (const p of Object.values(PROGRAMMES)) for (const f of p.fields) expect(doc).toContain(`\`${f.spec.key}\``);
    const asr = doc.slice(doc.indexOf('(`asr`'), doc.indexOf('(`asap`'));
    expect(asr).toContain('| `etablissement.finess` | identifiant | non |');
  });
});
