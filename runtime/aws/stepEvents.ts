import { z } from 'zod';
import { InvalidStepEventError } from './errors/runtimeErrors.js';

const runId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a run id');

/** The error object a Step Functions Catch puts at its ResultPath. */
const caughtError = z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional();

export const scalerEventSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('provision'), runId }),
  z.object({ step: z.literal('rescale'), runId }),
  z.object({ step: z.literal('await-root'), runId, taskToken: z.string().min(1) }),
]);

export const submitterEventSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('submit'), runId }),
  z.object({ step: z.literal('confirm'), runId }),
]);

export const settlerEventSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('settle'), runId }),
  z.object({ step: z.literal('abandon'), runId, reason: z.string().optional(), error: caughtError }),
]);

/** Parses a state's event, or throws a named error that says what was wrong. */
export function parseStepEvent<Schema extends z.ZodType>(handler: string, schema: Schema, event: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidStepEventError(handler, `${issue.path.join('.') || '<root>'}: ${issue.message}`, event);
}
