import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A FAKE of the AWS Batch API, not AWS Batch: LocalStack's free edition has no Batch, so the Batch adapter is tested
 * against this. It speaks the REST-JSON paths the SDK calls for SubmitJob, ListJobs, DescribeJobs, TerminateJob and
 * CancelJob, keeps jobs in memory and changes their status only when a test says so (no containers run). Array jobs
 * have children `<parentId>:<index>`; the parent stays PENDING until every child has finished, as on AWS.
 */
export type FakeJobStatus = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface FakeJob {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  readonly createdAt: number;
  readonly tags: Readonly<Record<string, string>>;
  status: FakeJobStatus;
  statusReason: string;
  /** Children of an array job (empty for a plain job or a child). */
  readonly children: FakeJob[];
  readonly arrayIndex?: number;
}

export interface FakeBatchCall {
  readonly operation: string;
  readonly at: number;
  readonly body: Record<string, unknown>;
}

export interface FakeBatchApi {
  readonly url: string;
  readonly calls: readonly FakeBatchCall[];
  /** Top-level jobs (plain and array parents) in submission order. */
  jobs(): FakeJob[];
  /** A job or an array child by id. */
  job(jobId: string): FakeJob | undefined;
  /** Moves a job or array child to `status`, as if Batch had progressed it. */
  setStatus(jobId: string, status: FakeJobStatus): void;
  close(): Promise<void>;
}

/** ECS's tag key and value pattern (ECS API reference, Tag). */
const ECS_TAG = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A request the real API would refuse with a ClientException (HTTP 400). */
class FakeBatchClientError extends Error {}

const TERMINAL: readonly FakeJobStatus[] = ['SUCCEEDED', 'FAILED'];
const BEFORE_STARTING: readonly FakeJobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE'];

/** What a test can do when the fake is asked to start or stop a job (e.g. run an agent process for it). */
export interface FakeBatchHooks {
  /** A job (a plain job, or each child of an array job) was submitted. */
  readonly onSubmit?: (job: FakeJob) => void;
  /** A job was terminated or cancelled. */
  readonly onStop?: (job: FakeJob) => void;
}

export async function startFakeBatchApi(hooks: FakeBatchHooks = {}): Promise<FakeBatchApi> {
  const jobs: FakeJob[] = [];
  const byId = new Map<string, FakeJob>();
  const calls: FakeBatchCall[] = [];

  const statusOf = (job: FakeJob): FakeJobStatus => {
    if (job.children.length === 0) return job.status;
    if (job.children.every((child) => TERMINAL.includes(child.status))) {
      return job.children.every((child) => child.status === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED';
    }
    return 'PENDING';
  };
  const arn = (job: FakeJob) => `arn:aws:batch:us-east-1:000000000000:job/${job.jobId}`;
  const summary = (job: FakeJob) => ({
    jobArn: arn(job),
    jobId: job.jobId,
    jobName: job.jobName,
    createdAt: job.createdAt,
    status: statusOf(job),
    statusReason: job.statusReason || undefined,
    ...(job.children.length > 0 ? { arrayProperties: { size: job.children.length } } : {}),
    ...(job.arrayIndex !== undefined ? { arrayProperties: { index: job.arrayIndex } } : {}),
  });
  const stop = (job: FakeJob, reason: string, onlyBeforeStarting: boolean) => {
    for (const target of job.children.length > 0 ? job.children : [job]) {
      if (TERMINAL.includes(target.status)) continue;
      if (onlyBeforeStarting && !BEFORE_STARTING.includes(target.status)) continue;
      target.status = 'FAILED';
      target.statusReason = reason;
      hooks.onStop?.(target);
    }
  };

  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    submitjob(body) {
      // Batch propagates the tags to the ECS task, where ECS refuses values outside its pattern (ECS API, Tag).
      const refused = Object.entries((body.tags as Record<string, string> | undefined) ?? {}).filter(([key, value]) => !ECS_TAG.test(key) || !ECS_TAG.test(value) || value.length > 256);
      if (refused.length > 0) throw new FakeBatchClientError(`tags ECS would refuse: ${JSON.stringify(Object.fromEntries(refused))}`);
      const jobId = randomUUID();
      const size = (body.arrayProperties as { size?: number } | undefined)?.size ?? 0;
      const base = {
        jobName: String(body.jobName),
        jobQueue: String(body.jobQueue),
        jobDefinition: String(body.jobDefinition),
        createdAt: Date.now(),
        tags: (body.tags as Record<string, string> | undefined) ?? {},
        statusReason: '',
      };
      const children: FakeJob[] = Array.from({ length: size }, (_, index) => ({
        ...base,
        jobId: `${jobId}:${index}`,
        status: 'RUNNABLE',
        children: [],
        arrayIndex: index,
      }));
      const job: FakeJob = { ...base, jobId, status: 'SUBMITTED', children };
      jobs.push(job);
      byId.set(jobId, job);
      for (const child of children) byId.set(child.jobId, child);
      for (const started of children.length > 0 ? children : [job]) hooks.onSubmit?.(started);
      return { jobArn: arn(job), jobName: job.jobName, jobId };
    },
    listjobs(body) {
      const status = body.jobStatus as FakeJobStatus | undefined;
      const parent = body.arrayJobId ? byId.get(text(body.arrayJobId)) : undefined;
      const pool = parent ? parent.children : jobs.filter((job) => job.jobQueue === body.jobQueue);
      // Pages of 100, as ListJobs' default.
      const matching = pool.filter((job) => (status ? statusOf(job) === status : !TERMINAL.includes(statusOf(job))));
      const start = Number(body.nextToken ?? 0);
      const page = matching.slice(start, start + 100);
      return { jobSummaryList: page.map(summary), ...(start + 100 < matching.length ? { nextToken: String(start + 100) } : {}) };
    },
    describejobs(body) {
      const ids = (body.jobs as string[] | undefined) ?? [];
      return {
        jobs: ids.flatMap((id) => {
          const job = byId.get(id);
          if (!job) return [];
          const statusSummary: Record<string, number> = {};
          for (const child of job.children) statusSummary[child.status] = (statusSummary[child.status] ?? 0) + 1;
          return [
            {
              ...summary(job),
              jobQueue: job.jobQueue,
              jobDefinition: job.jobDefinition,
              startedAt: job.createdAt,
              ...(job.children.length > 0 ? { arrayProperties: { size: job.children.length, statusSummary } } : {}),
            },
          ];
        }),
      };
    },
    terminatejob(body) {
      const job = byId.get(text(body.jobId));
      if (job) stop(job, text(body.reason), false);
      return {};
    },
    canceljob(body) {
      const job = byId.get(text(body.jobId));
      if (job) stop(job, text(body.reason), true);
      return {};
    },
  };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = (request.url ?? '').replace(/^\/v1\//, '').split('?')[0]!;
      const handler = operations[operation];
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.method !== 'POST' || !handler) {
        return send(404, { __type: 'ClientException', message: `the fake Batch API has no ${request.method} ${request.url}` });
      }
      let body: Record<string, unknown>;
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
      } catch {
        return send(400, { __type: 'ClientException', message: 'body is not JSON' });
      }
      calls.push({ operation, at: Date.now(), body });
      try {
        send(200, handler(body));
      } catch (error) {
        if (!(error instanceof FakeBatchClientError)) throw error;
        send(400, { __type: 'ClientException', message: error.message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    jobs: () => [...jobs],
    job: (jobId) => byId.get(jobId),
    setStatus(jobId, status) {
      const job = byId.get(jobId);
      if (!job) throw new Error(`the fake Batch API has no job ${jobId}`);
      job.status = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
