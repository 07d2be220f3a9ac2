// Child process of the sync bench: runs the DS simulator so its memory and CPU are not counted
// in the syncing process. Prints one JSON line (URL, token, démarche), then serves until stdin
// closes or it is killed. Answers are cached (see SimulatorOptions.answerCache): the bench's
// first sync has them rendered live, the second has them pre-rendered.
import { startSimulator } from '../src/simulator/index.ts';

const [dossiers = '10000', champs = '40', latency = '50'] = process.argv.slice(2);
const sim = await startSimulator({
  seed: 2026,
  programmes: ['aumg'],
  dossiers: { aumg: Number(dossiers) },
  champsPerDossier: Number(champs),
  rateLimitPerMinute: 0,
  faults: { latencyMs: Number(latency) },
  answerCache: true,
});
// DS has its dossiers stored before the sync starts; generating them lazily would be timed with it.
sim.store.materialiseAll();
process.stdout.write(
  `${JSON.stringify({ graphqlUrl: sim.graphqlUrl, token: sim.tokens.readWrite, demarche: sim.demarches[0]?.number })}\n`,
);
const stop = (): void => void sim.close().finally(() => process.exit(0));
process.stdin.on('end', stop).on('close', stop).resume();
process.on('SIGTERM', stop);
