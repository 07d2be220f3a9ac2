/**
 * The real pipeline: each step adapts one colleague module (sync, rules, push-back, reports) to
 * the small `PipelineStep` interface, turning its report into ok / partial / thrown error.
 */
import type { Env } from '../config/env.ts';
import type { Config, DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { DsClient } from '../graphql/client.ts';
import type { Logger } from '../logger.ts';
// Each step loads its modules when it runs: an idle worker holds none of them (exceljs, nodemailer…).
import type { DemarcheStep, PipelineStep, RunStep } from './pipeline.ts';
import { agree, plural } from '../shared/plural.ts';

export interface PipelineServices {
  db: Db;
  client: DsClient;
  config: Config;
  env: Env;
  /** Reads the variable the configuration names for the SMTP password (mail.smtp.passwordEnv). */
  variable: (name: string) => string | undefined;
  logger: Logger;
}

/** sync → check → annotate (only with `worker.annotate: true`, and then for real) → report → digest. */
export function buildPipelineSteps(services: PipelineServices): PipelineStep<DemarcheConfig>[] {
  const steps: PipelineStep<DemarcheConfig>[] = [syncStep(services), checkStep(services)];
  if (services.config.worker.annotate) steps.push(annotateStep(services));
  steps.push(reportStep(services), digestStep(services));
  return steps;
}

export function syncStep({ db, client, config, env }: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'sync',
    scope: 'demarche',
    async run(ctx, demarche, signal) {
      const [{ logObserver }, { DEFAULT_LABELS_EVERY_HOURS, DEFAULT_ORIGIN }, { syncDemarche }] = await Promise.all([
        import('../sync/log-observer.ts'),
        import('../sync/run-plan.ts'),
        import('../sync/sync-runner.ts'),
      ]);
      const result = await syncDemarche({ db, client }, demarche.number, {
        demarches: [demarche.number],
        files: config.sync.files,
        filesDir: env.DS_ARS_FILES_DIR,
        origin: config.sync.origin ?? DEFAULT_ORIGIN,
        labelsEveryHours: config.sync.labelsEveryHours ?? DEFAULT_LABELS_EVERY_HOURS,
        logger: ctx.logger,
        // One journal line per page: the operator sees how far a night got.
        observer: logObserver(ctx.logger),
        // Stops after a committed page (its cursor saved); the run is recorded as interrupted.
        signal,
      });
      const summary = `${plural(result.pages, 'page')}, ${plural(result.upserted, 'dossier mis', 'dossiers mis')} à jour, ${plural(result.deleted, 'supprimé')}`;
      if (result.status === 'failed')
        throw new AppError('internal', result.error ?? 'échec de la synchronisation', { details: { syncRun: result.runId } });
      const note = result.status === 'interrupted' ? 'arrêtée à la demande, reprise au prochain passage' : result.error;
      return { partial: result.status === 'partial', summary: note ? `${summary} ; ${note}` : summary };
    },
  };
}

/** Rules on the mirror; evaluations and findings stored (only dossiers changed since are rewritten). */
export function checkStep({ db }: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'check',
    scope: 'demarche',
    async run(_ctx, demarche) {
      const { checkDemarche } = await import('../rules/check.ts');
      const result = await checkDemarche(db, demarche);
      // A mapping that points nowhere is a configuration error: the step fails, annotate (which needs it) does not run.
      if (result.status === 'failed')
        throw new AppError(result.unreachableMapping.length > 0 ? 'config' : 'internal', result.error ?? 'échec des contrôles');
      const { verdicts } = result;
      const problems = [
        result.unreadable.length > 0 ? plural(result.unreadable.length, 'dossier illisible', 'dossiers illisibles') : null,
        result.mappingProblems.length > 0 ? `${plural(result.mappingProblems.length, 'problème')} de mapping` : null,
      ].filter((p): p is string => p !== null);
      return {
        partial: result.status === 'partial',
        summary: `${plural(result.dossiers, 'dossier contrôlé', 'dossiers contrôlés')}, ${plural(result.written, 'réévalué')} ; éligibles : ${verdicts.oui}, non : ${verdicts.non}, à vérifier : ${verdicts.a_verifier}${problems.length > 0 ? ` ; ${problems.join(', ')}` : ''}`,
      };
    },
  };
}

export function annotateStep({ db, client, config }: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'annotate',
    scope: 'demarche',
    // Annotations written from stale findings would be wrong: only after a successful check.
    needs: ['check'],
    async run(ctx, demarche, signal) {
      if (!Object.values(demarche.annotations).some((v) => v !== undefined))
        return { summary: 'aucune annotation configurée pour cette démarche' };
      const [{ instructeurEmailFromConfig }, { annotateDemarche }, { massChangeSummary }] = await Promise.all([
        import('../pushback/acting-instructeur.ts'),
        import('../pushback/annotate.ts'),
        import('../pushback/mass-change.guard.ts'),
      ]);
      const result = await annotateDemarche(
        {
          db,
          client,
          logger: ctx.logger,
          instructeurEmail: instructeurEmailFromConfig(config),
        },
        demarche,
        // The night never confirms a mass change: that is a human decision, taken by hand.
        { apply: true, signal, massChange: { ...config.safety.massChange, confirmed: false } },
      );
      if (result.refused) {
        const summary = massChangeSummary(
          result.massChange,
          `lancez à la main « ds-ars annotate --demarche ${demarche.number} --apply --confirmer-masse »`,
        );
        throw new AppError('conflict', summary.map((l) => l.trim()).join(' '));
      }
      const { counts, fatal } = result.execution;
      if (fatal !== undefined) throw new AppError('internal', fatal);
      return {
        partial: counts.failed > 0 || counts.conflict > 0 || counts.uncertain > 0,
        summary:
          `${plural(counts.sent, 'envoyée')}, ${plural(counts.skipped, 'déjà faite', 'déjà faites')}, ${counts.failed} en échec, ${counts.conflict} en conflit` +
          (counts.guarded > 0 ? `, ${plural(counts.guarded, 'bloquée')}` : '') +
          (counts.uncertain > 0
            ? `, ${plural(counts.uncertain, 'incertaine (vérifiée', 'incertaines (vérifiées')} au prochain passage)`
            : '') +
          (counts.not_attempted > 0 ? `, ${plural(counts.not_attempted, 'non tentée', 'non tentées')} (interrompu)` : ''),
      };
    },
  };
}

/** The jury workbook of the démarche, from the mirror and the stored findings. */
export function reportStep({ db, config, env }: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'report',
    scope: 'demarche',
    async run(_ctx, demarche) {
      const { writeConfiguredWorkbooks } = await import('../reports/run-reports.ts');
      const [item] = await writeConfiguredWorkbooks(db, config, { apiUrl: env.DS_API_URL, demarches: [demarche.number] });
      if (item?.error) throw item.error;
      if (!item?.result) throw new AppError('internal', `Aucun classeur produit pour la démarche ${demarche.number}.`);
      const warnings =
        item.warnings.length > 0
          ? ` ; ${plural(item.warnings.length, 'champ', 'champs')} du mapping ${agree(item.warnings.length, 'introuvable', 'introuvables')}`
          : '';
      return { summary: `classeur ${item.result.path} (${plural(item.result.dossiers, 'dossier')})${warnings}` };
    },
  };
}

/**
 * The night's digest mail (once per Paris day, journaled by the digest module); it reports the
 * failures this run recorded in `pipeline_runs`. Without a `mail` section there is nobody to send it to.
 */
export function digestStep({ db, config, env, variable }: PipelineServices): RunStep<DemarcheConfig> {
  return {
    name: 'digest',
    scope: 'run',
    async run() {
      if (!config.mail) return { summary: 'pas de section « mail » dans la configuration : récapitulatif non envoyé' };
      const { runConfiguredDigest } = await import('../reports/run-reports.ts');
      const outcome = await runConfiguredDigest(db, config, {
        apiUrl: env.DS_API_URL,
        tokenExpiresOn: env.DS_API_TOKEN_EXPIRES_ON,
        variable,
      });
      if (outcome.status === 'already_sent') return { summary: 'récapitulatif du jour déjà envoyé' };
      if (outcome.status === 'dry_run') return { summary: `récapitulatif écrit dans ${outcome.emlPath}` };
      return {
        partial: outcome.rejected.length > 0,
        summary: `récapitulatif envoyé à ${plural(outcome.recipients.length, 'destinataire')}`,
        mailed: outcome.recipients.length > 0,
      };
    },
  };
}
