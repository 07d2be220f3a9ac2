/**
 * The `ds-ars` program: global options, French help and errors, exit codes. Each command group
 * lives in src/cli/commands/<name>.command.ts and exports `register<Name>Command(program)`.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { registerAnnotateCommand } from './commands/annotate.command.ts';
import { registerCheckCommand } from './commands/check.command.ts';
import { registerDemarcheCommand } from './commands/demarche.command.ts';
import { registerInitCommand } from './commands/init.command.ts';
import { registerDecisionsCommand } from './commands/decisions.command.ts';
import { registerDemoCommand } from './commands/demo.command.ts';
import { registerDossierJuryCommand } from './commands/dossier-jury.command.ts';
import { registerSimulatorCommand } from './commands/simulator.command.ts';
import { registerInstruireCommand } from './commands/instruire.command.ts';
import { registerJournalCommand } from './commands/journal.command.ts';
import { registerStatusCommand } from './commands/status.command.ts';
import { registerSyncCommand } from './commands/sync.command.ts';
import { registerPurgeCommand } from './commands/purge.command.ts';
import { registerDigestCommand } from './commands/digest.command.ts';
import { registerReportCommand } from './commands/report.command.ts';
import { registerSauvegardeCommand } from './commands/sauvegarde.command.ts';
import { registerRunOnceCommand } from './commands/run-once.command.ts';
import { registerWorkerCommand } from './commands/worker.command.ts';
import { registerVerrousCommand } from './commands/verrous.command.ts';
import { storageCode, storageError } from '../db/storage-errors.ts';
import { registerDbCommand } from './commands/db.command.ts';
import { setProgramEnvironment } from './command-context.ts';
import { registerMigrateCommand } from './commands/migrate.command.ts';
import { ExitCode, exitCodeFor, formatCliError } from './exit.ts';
import { requestJsonLogs } from '../log-format.ts';
import { wantsJson } from './output.ts';

// The same relative path from src/cli/ and from dist/cli/.
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** The version of the installed package (`ds-ars --version`). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}

// The demo runs command lines through `main`: given here so that demo.command.ts needs no import of this file.
const registerDemo = (program: Command): void => registerDemoCommand(program, main);

const registrations: readonly ((program: Command) => void)[] = [
  registerDemo,
  registerSimulatorCommand,
  registerSyncCommand,
  registerStatusCommand,
  registerDemarcheCommand,
  registerInitCommand,
  registerCheckCommand,
  registerDecisionsCommand,
  registerAnnotateCommand,
  registerInstruireCommand,
  registerJournalCommand,
  registerReportCommand,
  registerDossierJuryCommand,
  registerDigestCommand,
  registerWorkerCommand,
  registerRunOnceCommand,
  registerPurgeCommand,
  registerSauvegardeCommand,
  registerVerrousCommand,
  registerDbCommand,
  registerMigrateCommand,
];

export interface CliIo {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = {
  writeOut: (text) => void process.stdout.write(text),
  writeErr: (text) => void process.stderr.write(text),
  env: process.env,
};

// Commander writes its own messages in English; these are the ones a user can meet.
const COMMANDER_MESSAGES: [RegExp, string][] = [
  [/^error: unknown option '(.+?)'/, 'option inconnue « $1 »'],
  [/^error: unknown command '(.+?)'/, 'commande inconnue « $1 »'],
  [/^error: missing required argument '(.+?)'/, 'argument obligatoire manquant : « $1 »'],
  [/^error: option '(.+?)' argument missing/, 'valeur manquante pour l’option « $1 »'],
  [/^error: required option '(.+?)' not specified/, 'option obligatoire manquante : « $1 »'],
  [/^error: option '(.+?)' argument '(.+?)' is invalid\./, 'valeur « $2 » invalide pour l’option « $1 » :'],
  [/^error: too many arguments.*/, 'trop d’arguments'],
  [/^error: (.+?) cannot be used with (.+)/, '$1 ne peut pas être utilisé avec $2'],
];

export function translateCommanderMessage(message: string): string {
  const [first = '', ...rest] = message.trim().split('\n');
  const suggestion = rest
    .join(' ')
    .replace(/\(Did you mean one of (.+)\?\)/, '(Vouliez-vous dire l’un de : $1 ?)')
    .replace(/\(Did you mean (.+)\?\)/, '(Vouliez-vous dire $1 ?)');
  for (const [pattern, replacement] of COMMANDER_MESSAGES) {
    if (pattern.test(first)) return `Erreur d’utilisation : ${first.replace(pattern, replacement)}${suggestion ? ` ${suggestion}` : ''}`;
  }
  return `Erreur d’utilisation : ${first.replace(/^error: /, '')}${suggestion ? ` ${suggestion}` : ''}`;
}

const HELP_WORDS: [RegExp, string][] = [
  [/^Usage:/gm, 'Utilisation :'],
  [/^Options:/gm, 'Options :'],
  [/^Global Options:/gm, 'Options globales :'],
  [/^Commands:/gm, 'Commandes :'],
  [/^Arguments:/gm, 'Arguments :'],
  [/\(default: /g, '(par défaut : '],
  [/\(choices: /g, '(valeurs : '],
  [/\[options\]/g, '[options]'],
  [/\[command\]/g, '[commande]'],
];

function frenchHelp(text: string): string {
  return HELP_WORDS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/** Applies the French help and output settings to a command; subcommands inherit them. */
function configureFrench(command: Command, io: CliIo): Command {
  return command
    .helpOption('-h, --help', 'Afficher l’aide')
    .configureHelp({
      showGlobalOptions: true,
      formatHelp: (cmd, helper) => frenchHelp(Help.prototype.formatHelp.call(helper, cmd, helper)),
    })
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      outputError: (message, write) => write(`${translateCommanderMessage(message)}\n`),
    })
    .exitOverride();
}

export function buildProgram(io: CliIo = defaultIo): Command {
  const program = configureFrench(new Command('ds-ars'), io)
    .description(
      'Adaptateur entre démarches-simplifiées et l’instruction ARS : synchronisation des dossiers, règles d’éligibilité, annotations, classeurs de jury, décisions en lot.',
    )
    .version(packageVersion(), '-V, --version', 'Afficher la version')
    .option('--config <fichier>', 'fichier de configuration (YAML ou JSON) ; par défaut DS_ARS_CONFIG')
    .option('--json', 'sortie JSON sur la sortie standard, pour les scripts')
    .helpCommand('help [commande]', 'Afficher l’aide d’une commande')
    .addHelpText(
      'after',
      [
        '',
        'Variables d’environnement : DS_API_URL, DS_API_TOKEN, DS_ARS_DB, DS_ARS_CONFIG, DS_ARS_FILES_DIR,',
        'DS_ARS_RATE_LIMIT, DS_ARS_LOG_LEVEL, DS_ARS_LOG_FORMAT (json ou texte), DS_ARS_DEBUG=1 (détail des erreurs),',
        'HTTPS_PROXY, HTTP_PROXY, NO_PROXY (proxy de sortie).',
        'Codes de sortie : 0 succès, 1 échec ou échec partiel, 2 erreur d’utilisation ou de configuration.',
      ].join('\n'),
    );
  // With --json, log lines on stderr are JSON too (DS_ARS_LOG_FORMAT and the terminal decide otherwise).
  program.hook('preAction', (_program, action) => requestJsonLogs(wantsJson(action)));
  // Commands read their environment from here (command-context.ts), never from process.env.
  setProgramEnvironment(program, io.env);
  for (const register of registrations) register(program);
  for (const command of program.commands) configureFrench(command, io);
  return program;
}

/** Runs the CLI and returns its exit code (bin/ds-ars.js sets process.exitCode with it). */
export function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  return runProgram(buildProgram(io), argv, io);
}

/** Parses `argv` with `program`, prints errors in French on stderr, returns the exit code. */
export async function runProgram(program: Command, argv: string[], io: CliIo): Promise<number> {
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    // Commander already printed its (translated) message or the help.
    if (error instanceof CommanderError) return exitCodeFor(error);
    // SQLite failing in the middle of a command (disk full, file made read-only or damaged since it was opened).
    const shown = storageCode(error)?.startsWith('SQLITE_') ? (storageError(error, io.env.DS_ARS_DB) ?? error) : error;
    io.writeErr(formatCliError(shown, io.env.DS_ARS_DEBUG === '1'));
    return exitCodeFor(shown);
  }
}
