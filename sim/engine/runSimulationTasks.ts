import { Worker } from 'node:worker_threads';
import { SimulationFault } from '../errors/index.js';
import { runSimulationTask, type SimulationTask, type TaskResult } from './simulationTask.js';

type WorkerAnswer = { readonly ok: true; readonly result: TaskResult } | { readonly ok: false; readonly error: string };

/**
 * Runs independent simulations, `parallelism` at a time in worker threads (one 61,440-tx simulation keeps a core
 * busy for tens of seconds and needs ~1.5 GB). Results come back in task order; a worker's failure fails the whole
 * batch with its error. With a parallelism of 1 everything runs in this thread.
 */
export async function runSimulationTasks(tasks: readonly SimulationTask[], parallelism: number): Promise<TaskResult[]> {
  const results = new Array<TaskResult>(tasks.length);
  if (parallelism <= 1 || tasks.length <= 1) {
    for (const [i, task] of tasks.entries()) results[i] = await runSimulationTask(task);
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: Math.min(parallelism, tasks.length) }, () => {
    const worker = new Worker(new URL('./simulationWorker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 8_192 } });
    return new Promise<void>((resolve, reject) => {
      const post = () => {
        if (next >= tasks.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const index = next++;
        worker.once('message', (answer: WorkerAnswer) => {
          if (!answer.ok) {
            void worker.terminate();
            reject(new SimulationFault(answer.error));
            return;
          }
          results[index] = answer.result;
          post();
        });
        worker.postMessage(tasks[index]);
      };
      worker.once('error', (error) => reject(new SimulationFault(error)));
      post();
    });
  });
  await Promise.all(workers);
  return results;
}
