import type { Config } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/**
 * The instructeur DS mutations act as (NOTES §1): the admin token carries no user, so every
 * dossier mutation names an Instructeur id, and DS refuses it when the instructeur's groupes do
 * not contain the dossier. Resolved from the configured email through the mirrored groupes.
 */
export interface ActingInstructeur {
  demarcheNumber: number;
  email: string;
  /** Instructeur id in each groupe (of this démarche) the email belongs to. */
  idByGroupe: ReadonlyMap<string, string>;
}

export async function resolveActingInstructeur(db: Db, demarcheNumber: number, email: string): Promise<ActingInstructeur> {
  const wanted = email.trim().toLowerCase();
  const rows = await db
    .selectFrom('instructeurs')
    .innerJoin('groupes_instructeurs', 'groupes_instructeurs.id', 'instructeurs.groupe_id')
    .select(['instructeurs.id as id', 'instructeurs.email as email', 'instructeurs.groupe_id as groupeId'])
    .where('groupes_instructeurs.demarche_number', '=', demarcheNumber)
    .execute();
  const idByGroupe = new Map<string, string>();
  for (const row of rows) if (row.email.trim().toLowerCase() === wanted) idByGroupe.set(row.groupeId, row.id);
  if (idByGroupe.size === 0) {
    const hint =
      rows.length === 0
        ? `Aucun groupe instructeur de la démarche ${demarcheNumber} n’est dans la base : lancez d’abord « ds-ars sync ».`
        : `Ajoutez cet instructeur à un groupe de la démarche dans DS, ou corrigez « instructeurEmail » dans la configuration, puis relancez « ds-ars sync ».`;
    throw new AppError(
      'config',
      `L’instructeur « ${email} » n’appartient à aucun groupe instructeur de la démarche ${demarcheNumber}. ${hint}`,
      {
        details: { demarche: demarcheNumber },
      },
    );
  }
  return { demarcheNumber, email, idByGroupe };
}

export type InstructeurAccess = { ok: true; instructeurId: string } | { ok: false; message: string };

/** The instructeur id to send for a dossier of `groupe`, or the French reason it cannot act. */
export function instructeurFor(
  acting: ActingInstructeur,
  dossierNumber: number,
  groupe: { id: string | null; label: string | null },
): InstructeurAccess {
  const id = groupe.id === null ? undefined : acting.idByGroupe.get(groupe.id);
  if (id !== undefined) return { ok: true, instructeurId: id };
  return {
    ok: false,
    message: `L’instructeur « ${acting.email} » n’a pas accès au groupe « ${groupe.label ?? 'inconnu'} » du dossier n° ${dossierNumber} : ajoutez-le à ce groupe dans DS (ou changez « instructeurEmail »), puis relancez « ds-ars sync ».`,
  };
}

/** The configured acting instructeur's email of each démarche (its own, else the instance's). */
export function instructeurEmailFromConfig(config: Pick<Config, 'demarches' | 'instance'>): (demarcheNumber: number) => string | undefined {
  return (number) => config.demarches.find((d) => d.number === number)?.instructeurEmail ?? config.instance.instructeurEmail;
}
