import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { JobRecord, JobState } from '../../core/ports/jobStore.js';
import { optionalNumber, optionalString, s, type Item } from './dynamoItems.js';

/**
 * A job item, kept under 1 KB so each write costs one write unit. Attribute names are short on purpose:
 *
 * - `st` state (absent: waiting), `f` failures, `lo`/`le` lease owner and expiry, `d` proof digest, `e` last error
 * - one attribute per recorded child: `c/<id relative to the run>` (or `c:<id>` for ids outside the run), holding
 *   `<digest> <recordedAt> <recordedBy>`; written with if_not_exists, so the first digest stays
 * - `dc` how many children the job has, `v` a version bumped by every parent-side write (for the takeover's CAS)
 * - `cb`/`ca` an explicit claim: a stale-claim takeover, or `''` after the job's own proof was invalidated
 * - `ttl`
 *
 * A claim is explicit when `cb` exists; otherwise, once all `dc` children are recorded, the record that completed
 * the set is the claim (its recorder won the one conditional write that completed the set while the job was
 * waiting; a record written while the job was not waiting has an empty recorder and claims nothing). That is what
 * lets releaseParent cost one write: recording the last child *is* claiming the parent.
 */
export const jobKey = (runId: string, jobId: string): Record<string, AttributeValue> => ({ pk: s(`JOB#${runId}#${jobId}`) });

export interface ChildRecord {
  readonly digest: string;
  readonly at: number;
  readonly by: string;
}

/** The attribute that records child `childId` on its parent. */
export function childAttribute(runId: string, childId: string): string {
  const prefix = `${runId}/`;
  return childId.startsWith(prefix) ? `c/${childId.slice(prefix.length)}` : `c:${childId}`;
}

export function childRecordValue(record: ChildRecord): AttributeValue {
  return s(`${record.digest} ${record.at} ${record.by}`);
}

/** The children recorded on a job item, by child id. */
export function childRecords(runId: string, item: Item | undefined): Map<string, ChildRecord> {
  const records = new Map<string, ChildRecord>();
  if (!item) return records;
  for (const [name, value] of Object.entries(item)) {
    let childId: string;
    if (name.startsWith('c/')) childId = `${runId}/${name.slice(2)}`;
    else if (name.startsWith('c:')) childId = name.slice(2);
    else continue;
    const text = value.S ?? '';
    const first = text.indexOf(' ');
    const second = text.indexOf(' ', first + 1);
    records.set(childId, { digest: text.slice(0, first), at: Number(text.slice(first + 1, second)), by: text.slice(second + 1) });
  }
  return records;
}

export function childDigests(records: ReadonlyMap<string, ChildRecord>): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const [childId, record] of records) digests[childId] = record.digest;
  return digests;
}

/** Who holds the right to enqueue the job, and since when; `by` is '' when nobody does. */
export function claimOf(item: Item | undefined, records: ReadonlyMap<string, ChildRecord>, depCount?: number): { by: string; at: number } {
  const explicit = optionalString(item, 'cb');
  if (explicit !== undefined) return { by: explicit, at: optionalNumber(item, 'ca') ?? 0 };
  const required = depCount ?? optionalNumber(item, 'dc');
  if (required === undefined || records.size < required || records.size === 0) return { by: '', at: 0 };
  let latest: ChildRecord | undefined;
  for (const record of records.values()) if (!latest || record.at > latest.at) latest = record;
  return latest!.by === '' ? { by: '', at: 0 } : { by: latest!.by, at: latest!.at };
}

export function jobFromItem(runId: string, jobId: string, item: Item): JobRecord {
  const records = childRecords(runId, item);
  const claim = claimOf(item, records);
  return {
    runId,
    jobId,
    state: (optionalString(item, 'st') ?? 'waiting') as JobState,
    failures: optionalNumber(item, 'f') ?? 0,
    leaseOwner: optionalString(item, 'lo') ?? '',
    leaseExpiresAt: optionalNumber(item, 'le') ?? 0,
    digest: optionalString(item, 'd') ?? '',
    children: childDigests(records),
    claimedBy: claim.by,
    claimedAt: claim.at,
    lastError: optionalString(item, 'e') ?? '',
  };
}
