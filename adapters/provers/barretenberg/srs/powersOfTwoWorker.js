// Worker threads do not inherit the parent's tsx loader: register it here, then write this worker's range of points.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { writePowersOfTwo } = await import('./powersOfTwo.ts');
writePowersOfTwo(workerData.file, workerData.first, workerData.count);
