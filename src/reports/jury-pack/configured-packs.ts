import type { Config } from '../../config/file.ts';
import type { Db } from '../../db/database.ts';
import { toError } from '../../errors.ts';
import { reportDemarche, selectDemarches, uiBaseUrl } from '../report-config.ts';
import { writeJuryPacks, type JuryPackOptions, type JuryPackResult } from './jury-pack.ts';
import type { CandidateFilter, PackSplit } from './pack-candidates.ts';

export interface PackRunItem {
  demarche: number;
  result?: JuryPackResult;
  error?: Error;
}

export interface PacksOptions {
  apiUrl: string;
  demarches?: readonly number[] | undefined;
  filter: CandidateFilter;
  split?: PackSplit | undefined;
  outDir?: string | undefined;
  now?: Date | undefined;
  onProgress?: ((event: { demarche: number; jury: string | null; done: number; total: number }) => void) | undefined;
}

/** The jury pack(s) of each configured démarche; a démarche that fails does not stop the others. */
export async function writeConfiguredPacks(db: Db, config: Config, options: PacksOptions): Promise<PackRunItem[]> {
  const items: PackRunItem[] = [];
  for (const demarcheConfig of selectDemarches(config, options.demarches)) {
    const item: PackRunItem = { demarche: demarcheConfig.number };
    try {
      const { demarche } = await reportDemarche(db, demarcheConfig);
      const packOptions: JuryPackOptions = {
        demarche,
        uiBaseUrl: uiBaseUrl(config, options.apiUrl),
        outDir: options.outDir ?? config.output.dir,
        filter: options.filter,
        split: options.split,
        now: options.now,
        onProgress: options.onProgress ? (e) => options.onProgress?.({ demarche: demarcheConfig.number, ...e }) : undefined,
      };
      item.result = await writeJuryPacks(db, packOptions);
    } catch (error) {
      item.error = toError(error);
    }
    items.push(item);
  }
  return items;
}
