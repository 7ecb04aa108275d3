import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { digestHex, digestOf } from '../../core/artifacts/digest.js';
import { CorruptArtifactError, MissingArtifactError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';

export interface S3ArtifactStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix; keys are `<prefix><sha256 hex>`. @default 'artifacts/sha256/' */
  readonly prefix?: string;
  /** SSE-KMS key id or ARN; unset: SSE-KMS under the account's AWS-managed `aws/s3` key. */
  readonly kmsKeyId?: string;
  /** Artifacts above this size are uploaded in parts. @default 8 MiB */
  readonly multipartThresholdBytes?: number;
  /** Part size of multipart uploads (S3's minimum is 5 MiB). @default 8 MiB */
  readonly partSizeBytes?: number;
}

export interface S3ArtifactStore extends ArtifactStore {
  /** The object key of a digest. */
  keyOf(digest: string): string;
}

const MIB = 1024 * 1024;

/**
 * Proofs and bodies in S3 under `artifacts/sha256/<hex>`, encrypted with SSE-KMS (bucket keys on, so S3 does not
 * call KMS per object). A put is one conditional PutObject (If-None-Match: *) carrying the content's SHA-256, which S3
 * checks on arrival; when the object exists already, its stored checksum is compared and a corrupt copy is replaced
 * (a re-proof after corruption yields the same bytes, and must repair the object rather than skip it). Large
 * artifacts go up in parts. Every read is hashed: bytes that do not match their digest are refused.
 */
export function createS3ArtifactStore(options: S3ArtifactStoreOptions): S3ArtifactStore {
  const { client, bucket } = options;
  const prefix = options.prefix ?? 'artifacts/sha256/';
  const threshold = options.multipartThresholdBytes ?? 8 * MIB;
  const partSize = options.partSizeBytes ?? 8 * MIB;
  const keyOf = (digest: string) => `${prefix}${digestHex(digest)}`;
  const encryption = {
    ServerSideEncryption: 'aws:kms',
    BucketKeyEnabled: true,
    ...(options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
  } as const;

  /** True when the object under `key` exists and its bytes are `digest`'s. */
  async function storedIntact(key: string, digest: string, sha256: string, size: number): Promise<boolean> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      if (head.ContentLength !== size) return false;
      if (head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-')) return head.ChecksumSHA256 === sha256;
      // No whole-object checksum (a multipart upload): read it back and hash it.
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return digestOf(await object.Body!.transformToByteArray()) === digest;
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return false;
      throw error;
    }
  }

  async function upload(input: PutObjectCommandInput & { Body: Uint8Array }, conditional: boolean): Promise<'stored' | 'exists'> {
    if (input.Body.length > threshold) {
      await new Upload({ client, params: input, partSize, queueSize: 4, leavePartsOnError: false }).done();
      return 'stored';
    }
    try {
      await client.send(new PutObjectCommand({ ...input, ...(conditional ? { IfNoneMatch: '*' } : {}) }));
      return 'stored';
    } catch (error) {
      // 412: the object exists; 409: someone is writing it right now.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (conditional && (status === 412 || status === 409)) return 'exists';
      throw error;
    }
  }

  return {
    keyOf,
    async put(bytes) {
      const digest = digestOf(bytes);
      const key = keyOf(digest);
      const sha256 = createHash('sha256').update(bytes).digest('base64');
      const input = { Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/octet-stream', ...encryption };
      const large = bytes.length > threshold;
      if (large && (await storedIntact(key, digest, sha256, bytes.length))) return digest;
      const outcome = await upload(large ? input : { ...input, ChecksumSHA256: sha256 }, !large);
      if (outcome === 'exists' && !(await storedIntact(key, digest, sha256, bytes.length))) {
        await upload({ ...input, ChecksumSHA256: sha256 }, false);
      }
      return digest;
    },

    async get(digest) {
      const key = keyOf(digest);
      let bytes: Uint8Array;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        bytes = await object.Body!.transformToByteArray();
      } catch (error) {
        if (error instanceof NoSuchKey || error instanceof NotFound) throw new MissingArtifactError(digest);
        throw error;
      }
      const actual = digestOf(bytes);
      if (actual !== digest) throw new CorruptArtifactError(digest, actual);
      return bytes;
    },
  };
}
