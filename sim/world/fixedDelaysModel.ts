import { DEFAULT_SIM_MODEL, type SimModel } from '../model/model.js';

const fixed = (value: number) => ({ kind: 'fixed', value }) as const;

/**
 * For tests of the modelled fleet (dev-only): fixed delays, so times can be checked exactly — scheduling 5 s, launch
 * 10 s, boot 20 s, pull 10 s, container start 3 s, scale-in 30 s; 2 Batch calls a second, arrays of ≤ 3; no Spot
 * reclaims; one agent per instance (c7i.8xlarge heavy, c7i.2xlarge light).
 */
export const FIXED_DELAYS_MODEL: SimModel = {
  ...DEFAULT_SIM_MODEL,
  batch: { ...DEFAULT_SIM_MODEL.batch, apiCallsPerSecond: 2, maxArraySize: 3, schedulingSeconds: fixed(5), containerStartSeconds: fixed(3) },
  ec2: {
    ...DEFAULT_SIM_MODEL.ec2,
    launchBucket: { burst: 1_000, refillPerSecond: 1_000 },
    launchSeconds: fixed(10),
    bootSeconds: fixed(20),
    imagePullSeconds: fixed(10),
    scaleInSeconds: fixed(30),
    instanceTypes: { heavy: 'c7i.8xlarge', light: 'c7i.2xlarge' },
  },
  spot: { interruptionsPerInstanceHour: 0, noticeSeconds: 120 },
  account: { maxVcpus: { heavy: 64, light: 800 } },
};
