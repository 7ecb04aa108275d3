import { ProverBurstError } from '../../../core/errors/base.js';
import { MalformedReceiptError } from '../../../core/errors/storage.js';
import type { Tier } from '../../../core/tiers.js';

/** An item that lacks an attribute, or holds one of the wrong type, where the job store wrote one itself. */
export class MalformedItemError extends ProverBurstError {
  override name = 'MalformedItemError';
  constructor(
    readonly key: string,
    readonly attribute: string,
    readonly found: unknown,
  ) {
    super(`item ${key} has no valid "${attribute}" (found ${JSON.stringify(found)})`, { key, attribute, found });
  }
}

/** BatchGetItem kept returning keys unprocessed (throttling that outlasted the retries). */
export class UnprocessedKeysError extends ProverBurstError {
  override name = 'UnprocessedKeysError';
  constructor(readonly keys: readonly string[]) {
    super(`DynamoDB left ${keys.length} keys unprocessed after retries (first: ${keys[0]})`, { keys: keys.slice(0, 10) });
  }
}

/** A conditional write kept losing races on one item (more contention than the store expects). */
export class ContendedItemError extends ProverBurstError {
  override name = 'ContendedItemError';
  constructor(
    readonly key: string,
    readonly operation: string,
  ) {
    super(`${operation} on ${key} kept failing its condition under contention`, { key, operation });
  }
}

/** The KMS key is not a secp256k1 signing key, or KMS returned something that is not one. */
export class KmsKeyError extends ProverBurstError {
  override name = 'KmsKeyError';
  constructor(
    readonly keyId: string,
    reason: string,
  ) {
    super(`KMS key ${keyId}: ${reason}`, { keyId });
  }
}

/** Some messages could not be sent after every retry; names the failed entries and SQS's reasons. */
export class SqsSendError extends ProverBurstError {
  override name = 'SqsSendError';
  constructor(
    readonly tier: Tier,
    readonly failures: readonly { readonly jobId: string; readonly code: string; readonly message: string }[],
  ) {
    super(
      `${failures.length} job messages could not be sent to the ${tier} queue (first: ${failures[0]?.jobId}: ${failures[0]?.code} ${failures[0]?.message})`,
      { tier, failures: failures.slice(0, 10) },
    );
  }
}

/** `start` was called but the driver was built without a state machine. */
export class NoStateMachineError extends ProverBurstError {
  override name = 'NoStateMachineError';
  constructor(readonly runId: string) {
    super(`cannot start run ${runId}: no state machine is configured (STATE_MACHINE_ARN)`, { runId });
  }
}

/** A tier's lane queues do not match the lane splits (or their dead-letter queues do not match the lanes). */
export class SqsLaneQueuesError extends ProverBurstError {
  override name = 'SqsLaneQueuesError';
  constructor(
    readonly tier: Tier,
    readonly lanes: number,
    readonly queueUrls: number,
    readonly deadLetterUrls: number,
  ) {
    super(
      `the ${tier} tier needs ${lanes} lane queue(s) (one more than the lane splits), each with a dead-letter queue or none at all; got ${queueUrls} queue URL(s) and ${deadLetterUrls} dead-letter URL(s)`,
      { tier, lanes, queueUrls, deadLetterUrls },
    );
  }
}

/** A receipt that is not `<lane>:<SQS receipt handle>` with a lane the queue has. */
export class SqsReceiptError extends MalformedReceiptError {
  override name = 'SqsReceiptError';
  constructor(tier: Tier, receipt: string) {
    super(tier, receipt, '<lane>:<receipt handle>');
  }
}
