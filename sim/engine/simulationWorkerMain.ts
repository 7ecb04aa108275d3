import { parentPort } from 'node:worker_threads';
import { runSimulationTask, type SimulationTask } from './simulationTask.js';

// One task per message, answered in order; an error goes back as text so the pool can fail loudly with it.
parentPort!.on('message', (task: SimulationTask) => {
  runSimulationTask(task).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
