/**
 * The demo's output folder. The demo starts from a clean folder, but `--sortie` is the user's
 * choice (`--sortie .` is the working directory): only a folder the demo made itself, recognised
 * by the marker file it writes there, is emptied; any other non-empty folder is refused.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

export const DEMO_MARKER = '.ds-ars-demo';

const MARKER_TEXT = 'Dossier écrit par « ds-ars demo » : il est vidé et réécrit à chaque démonstration.\n';

/** Makes `outDir` an empty demo folder (marker included), or refuses with a usage error. */
export function prepareDemoFolder(outDir: string): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) {
      throw new AppError('usage', `« ${outDir} » existe et n’est pas un dossier : choisissez un autre dossier avec --sortie.`);
    }
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER)) {
      throw new AppError(
        'usage',
        `Le dossier « ${outDir} » n’est pas vide et n’a pas été créé par « ds-ars demo » : la démonstration l’effacerait. ` +
          'Choisissez avec --sortie un dossier vide ou qui n’existe pas encore, ou videz celui-ci vous-même.',
      );
    }
    // The folder itself stays (it may be the working directory); what the last demo wrote goes.
    for (const entry of entries) rmSync(join(outDir, entry), { recursive: true, force: true });
  } else {
    mkdirSync(outDir, { recursive: true, mode: 0o700 });
  }
  writeFileSync(join(outDir, DEMO_MARKER), MARKER_TEXT, { mode: 0o600 });
}
