import { fieldOf } from '../candidature.ts';
import type { Finding, Rule } from '../finding.ts';
import { cannotCheck, evidenceOf, finding, quote, shortLabel, unmappedNeeds } from './helpers.ts';

// Fields whose emptiness is reported by a dedicated rule, so complet.champ_requis does not repeat it.
function ownedByOtherRules(requiredPieces: readonly string[], requiredAvis: readonly string[]): Set<string> {
  return new Set([...requiredPieces, ...requiredAvis, 'rgpd.consentement']);
}

/** Every champ required by DS or by the programme is filled (seeds 000-004: "astérisques rouges", "dossier complet"). */
export const champRequis: Rule = {
  id: 'complet.champ_requis',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'bloquant',
  title: 'Champs obligatoires remplis',
  skipped(ctx, isMapped) {
    const owned = ownedByOtherRules(ctx.requiredPieces, ctx.programme.requiredAvis);
    const keys = ctx.programme.fields
      .filter(({ spec, required }) => required && spec.kind !== 'piece' && !owned.has(spec.key))
      .map(({ spec }) => spec.key);
    return unmappedNeeds(ctx, isMapped, keys);
  },
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const owned = ownedByOtherRules(ctx.requiredPieces, ctx.programme.requiredAvis);
    const ownedChamps = new Set<string>();
    for (const f of c.fields.values()) if (owned.has(f.field) && f.champId) ownedChamps.add(f.champId);
    const reported = new Set<string>();
    // DS's own required flags, on the champs DS returned (hidden champs are never required).
    for (const champ of c.champs) {
      if (!champ.required || champ.filled || ownedChamps.has(champ.champId)) continue;
      reported.add(champ.champId);
      const [what, ask] =
        champ.type === 'Checkbox' ? ['case obligatoire non cochée', 'de la cocher'] : ['champ obligatoire non rempli', 'de le compléter'];
      out.push(
        finding(this.id, 'bloquant', `Dossier incomplet : ${what} « ${shortLabel(champ.label)} ». Demandez au déposant ${ask}.`, [
          { label: champ.label, champId: champ.champId, value: champ.raw },
        ]),
      );
    }
    // What the programme requires, even where the form does not mark it required.
    for (const { spec, required } of ctx.programme.fields) {
      if (!required || spec.kind === 'piece' || owned.has(spec.key)) continue;
      const f = fieldOf(c, spec.key);
      if (!f.mapped) {
        out.push(cannotCheck(this.id, this.title, f)!);
        continue;
      }
      // The row a mapping `ligne` selects is missing or doubled: said, never skipped as hidden.
      if (f.rowProblem !== undefined) {
        out.push(cannotCheck(this.id, this.title, f)!);
        continue;
      }
      if (f.status === 'absent_du_formulaire' || (f.champId !== null && reported.has(f.champId))) continue;
      // A yes/no answered in words that say neither (« En cours », « Thèse soutenue le … » typed in a list's « Autre »):
      // filled, so never « non renseigné », but no answer either: the instructor reads it.
      if (spec.kind === 'boolean' && f.status === 'rempli' && f.boolean === null) {
        out.push(
          finding(
            this.id,
            'alerte',
            `Réponse ${quote(f.raw)} au champ « ${shortLabel(f.label)} » (${spec.label}) : ni oui ni non, alors que le programme ${ctx.programme.id.toUpperCase()} exige cette réponse. Lisez-la et, si besoin, demandez au déposant de répondre par oui ou non.`,
            [evidenceOf(f)],
          ),
        );
        continue;
      }
      const empty = spec.kind === 'boolean' ? f.boolean === null : f.status === 'vide';
      if (empty) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Dossier incomplet : « ${shortLabel(f.label)} » (${spec.label}) n’est pas renseigné alors que le programme ${ctx.programme.id.toUpperCase()} l’exige. Demandez au déposant de le compléter.`,
            [evidenceOf(f)],
          ),
        );
      }
    }
    return out;
  },
};

/** Every required piece is attached (seed 001: "4 pièces justificatives obligatoires"; 002 volets 3, 4, 7, 8; 003 annexes; 004). */
export const pieceRequise: Rule = {
  id: 'complet.piece_requise',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'bloquant',
  title: 'Pièces obligatoires jointes',
  skipped(ctx, isMapped) {
    return unmappedNeeds(ctx, isMapped, ctx.requiredPieces);
  },
  evaluate(c, ctx) {
    const out: Finding[] = [];
    for (const key of ctx.requiredPieces) {
      const f = fieldOf(c, key);
      const unknown = cannotCheck(this.id, this.title, f);
      if (unknown) out.push(unknown);
      else if (f.files.length === 0) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Dossier incomplet : pièce obligatoire manquante « ${shortLabel(f.label)} ». Demandez au déposant de la joindre.`,
            [evidenceOf(f)],
          ),
        );
      }
    }
    return out;
  },
};

function isPdf(filename: string, contentType: string): boolean {
  return contentType.trim().toLowerCase() === 'application/pdf' && /\.pdf$/i.test(filename.trim());
}

/** Attached pieces are PDF: content type application/pdf and a .pdf extension (seed 000 "UNIQUEMENT PDF", 001, 002 volet 8). */
export const piecePdf: Rule = {
  id: 'complet.piece_pdf',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'bloquant',
  title: 'Pièces au format PDF',
  skipped(ctx, isMapped) {
    return ctx.pdfPieces === 'all' || ctx.pdfPieces === 'none' ? [] : unmappedNeeds(ctx, isMapped, ctx.pdfPieces);
  },
  evaluate(c, ctx) {
    if (ctx.pdfPieces === 'none') return [];
    const out: Finding[] = [];
    const check = (label: string, champId: string | null, files: ReadonlyArray<{ filename: string; contentType: string }>) => {
      for (const file of files) {
        if (isPdf(file.filename, file.contentType)) continue;
        out.push(
          finding(
            this.id,
            'bloquant',
            `Pièce non conforme : le fichier ${quote(file.filename)} du champ « ${label} » n’est pas un PDF (type ${quote(file.contentType)}). Demandez au déposant de le remplacer par un PDF.`,
            [{ label, champId, value: file.filename }],
          ),
        );
      }
    };
    if (ctx.pdfPieces === 'all') {
      for (const champ of c.champs) if (champ.files.length > 0) check(champ.label, champ.champId, champ.files);
    } else {
      for (const key of ctx.pdfPieces) {
        const f = fieldOf(c, key);
        if (f.status === 'rempli') check(f.label, f.champId, f.files);
      }
    }
    return out;
  },
};
