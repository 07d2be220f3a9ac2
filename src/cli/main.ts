/**
 * The `ds-ars` program: global options, French help and errors, exit codes. Each command group
 * lives in src/cli/commands/<name>.command.ts and exports `register<Name>Command(program)`.
 */
import { readFileSync } from 'node:fs';
import { type AddHelpTextContext, type AddHelpTextPosition, type Argument, Command, CommanderError, Help, type Option } from 'commander';
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
import { isDatabaseFailureCode, storageCode, storageError } from '../db/storage-errors.ts';
import { registerDbCommand } from './commands/db.command.ts';
import { setProgramEnvironment } from './command-context.ts';
import { registerMigrateCommand } from './commands/migrate.command.ts';
import { ExitCode, exitCodeFor, formatCliError } from './exit.ts';
import { requestJsonLogs } from '../log-format.ts';
import { wantsJson } from './output.ts';
import { plural } from '../shared/plural.ts';

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
type Replacement = string | ((match: string, ...groups: string[]) => string);

const tooMany = (command: string, expected: string, given: string): string =>
  `trop d’arguments${command ? ` pour « ${command} »` : ''} : ${plural(Number(expected), 'attendu')}, ${plural(Number(given), 'donné')}`;

const COMMANDER_MESSAGES: [RegExp, Replacement][] = [
  [/^error: unknown option '(.+?)'/, 'option inconnue « $1 »'],
  [/^error: unknown command '(.+?)'/, 'commande inconnue « $1 »'],
  [/^error: missing required argument '(.+?)'/, 'argument obligatoire manquant : « $1 »'],
  [/^error: option '(.+?)' argument missing/, 'valeur manquante pour l’option « $1 »'],
  [/^error: required option '(.+?)' not specified/, 'option obligatoire manquante : « $1 »'],
  [/^error: option '(.+?)' argument '(.+?)' is invalid\./, 'valeur « $2 » invalide pour l’option « $1 » :'],
  [/^error: option '(.+?)' value '(.+?)' from env '(.+?)' is invalid\./, 'valeur « $2 » de la variable $3 invalide pour l’option « $1 » :'],
  [/^error: command-argument value '(.+?)' is invalid for argument '(.+?)'\./, 'valeur « $1 » invalide pour l’argument « $2 » :'],
  [
    /^error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\./,
    (_, command = '', expected = '', given = '') => tooMany(command, expected, given),
  ],
  [/^error: (.+?) cannot be used with (.+)/, '$1 ne peut pas être utilisé avec $2'],
];

// What commander appends to a message (a parser's own message is already French).
const COMMANDER_DETAILS: [RegExp, string][] = [
  [/Allowed choices are (.+?)\.?$/, 'valeurs possibles : $1.'],
  [/\(Did you mean one of (.+)\?\)/, '(Vouliez-vous dire l’un de : $1 ?)'],
  [/\(Did you mean (.+)\?\)/, '(Vouliez-vous dire $1 ?)'],
];

const replace = (text: string, pattern: RegExp, replacement: Replacement): string =>
  typeof replacement === 'string' ? text.replace(pattern, replacement) : text.replace(pattern, replacement);

export function translateCommanderMessage(message: string): string {
  const [first = '', ...rest] = message.trim().split('\n');
  const translated = COMMANDER_MESSAGES.find(([pattern]) => pattern.test(first));
  const matched = translated ? (translated[0].exec(first)?.[0] ?? '') : '';
  const head = translated ? replace(matched, translated[0], translated[1]) : first.replace(/^error: /, '');
  // What follows the known part: a parser's own (French) reason, commander's choices or suggestion.
  const tail = [first.slice(matched.length), ...rest].join(' ').trim();
  const details = COMMANDER_DETAILS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), tail);
  return `Erreur d’utilisation : ${head.trim()}${details ? ` ${details}` : ''}`;
}

const HELP_WORDS: [RegExp, string][] = [
  [/^Usage:/gm, 'Utilisation :'],
  [/^Options:/gm, 'Options :'],
  [/^Global Options:/gm, 'Options globales :'],
  [/^Commands:/gm, 'Commandes :'],
  [/^Arguments:/gm, 'Arguments :'],
  [/\[command\]/g, '[commande]'],
];

function frenchHelp(text: string): string {
  return HELP_WORDS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/** A value as the help shows it: « texte », 40, oui. */
function helpValue(value: unknown): string {
  if (typeof value === 'string') return `« ${value} »`;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (Array.isArray(value)) return value.map(helpValue).join(', ');
  return String(value);
}

function withExtra(description: string, extra: readonly string[]): string {
  if (extra.length === 0) return description;
  return description ? `${description} (${extra.join(', ')})` : `(${extra.join(', ')})`;
}

/** « valeurs : a, b » and « par défaut : … » of an option or argument, as commander lists them. */
function choicesAndDefault(item: Option | Argument, showDefault: boolean): string[] {
  const extra: string[] = [];
  if (item.argChoices) extra.push(`valeurs : ${item.argChoices.join(', ')}`);
  if (item.defaultValue !== undefined && showDefault)
    extra.push(`par défaut : ${item.defaultValueDescription ?? helpValue(item.defaultValue)}`);
  return extra;
}

/** Commander's « (choices: "a", "b", default: "a") », in French: « (valeurs : a, b ; par défaut : « a ») ». */
function optionDescription(option: Option): string {
  // Same rule as commander: a default is shown for options that take a value (and plain booleans).
  const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
  const extra = choicesAndDefault(option, showDefault);
  if (option.envVar !== undefined) extra.push(`variable ${option.envVar}`);
  return withExtra(option.description, extra);
}

function argumentDescription(argument: Argument): string {
  return withExtra(argument.description, choicesAndDefault(argument, true));
}

// French puts a space before « ; : ! ? » » and after « « »: a line must never start with the mark.
const TIED = '\uE000';

/** Commander's wrapping, with the spaces of French punctuation kept unbreakable. */
export function wrapFrench(text: string, width: number, helper: Help = new Help()): string {
  const tied = text.replace(/ (?=[;:!?»])/g, TIED).replace(/(?<=«) /g, TIED);
  return Help.prototype.boxWrap.call(helper, tied, width).replaceAll(TIED, ' ');
}

/**
 * The text under a command's help (addHelpText), wrapped like the rest of the help. A line ending
 * a sentence ends a paragraph; a line that does not continues on the next one; an indented line
 * (an example) is kept as written.
 */
export function wrapHelpText(text: string, width: number): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(wrapFrench(paragraph.join(' '), width));
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) {
      flush();
      out.push(line);
      continue;
    }
    paragraph.push(line.trim());
    if (/[.!?…]$/.test(line.trim())) flush();
  }
  flush();
  return out.join('\n');
}

/** Commands whose help text is wrapped at the width of the terminal, like commander's own lines. */
class FrenchCommand extends Command {
  override createCommand(name?: string): Command {
    return new FrenchCommand(name);
  }

  override addHelpText(position: AddHelpTextPosition, text: string | ((context: AddHelpTextContext) => string)): this {
    if (typeof text !== 'string') return super.addHelpText(position, text);
    return super.addHelpText(position, (context) => {
      const output = context.command.configureOutput();
      const width = (context.error ? output.getErrHelpWidth?.() : output.getOutHelpWidth?.()) ?? 80;
      return wrapHelpText(text, width);
    });
  }
}

/** Applies the French help and output settings to a command; subcommands inherit them. */
function configureFrench(command: Command, io: CliIo): Command {
  return command
    .helpOption('-h, --help', 'afficher l’aide')
    .configureHelp({
      showGlobalOptions: true,
      formatHelp: (cmd, helper) => frenchHelp(Help.prototype.formatHelp.call(helper, cmd, helper)),
      optionDescription,
      argumentDescription,
      boxWrap(this: Help, text: string, width: number) {
        return wrapFrench(text, width, this);
      },
    })
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      outputError: (message, write) => write(`${translateCommanderMessage(message)}\n`),
    })
    .exitOverride();
}

export function buildProgram(io: CliIo = defaultIo): Command {
  const program = configureFrench(new FrenchCommand('ds-ars'), io)
    .description(
      'Adaptateur entre démarches-simplifiées et l’instruction ARS : synchronisation des dossiers, règles d’éligibilité, annotations, classeurs de jury, décisions en lot.',
    )
    .version(packageVersion(), '-V, --version', 'afficher la version')
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
        '',
        'Exemples :',
        '  ds-ars demo --sortie /tmp/demo          tout essayer sur des données fictives',
        '  ds-ars sync --demarche 104512           copier les dossiers d’une démarche',
        '  ds-ars check && ds-ars report           contrôler, puis produire les classeurs',
        '  ds-ars decisions plan classeur.xlsx     relire les décisions du jury',
        '  ds-ars sync --help                      l’aide d’une commande',
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
    // The database failing in the middle of a command (disk full, made read-only or damaged since it was opened).
    const shown = isDatabaseFailureCode(storageCode(error)) ? (storageError(error, io.env.DS_ARS_DB) ?? error) : error;
    io.writeErr(formatCliError(shown, io.env.DS_ARS_DEBUG === '1'));
    return exitCodeFor(shown);
  }
}
