import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { CorruptArtifactError } from '../../core/errors/index.js';
import { describeArtifactStoreContract } from '../../test/contracts/artifactStore.contract.js';
import { emulatorClients, uniqueName } from '../../test/integration/support/awsTestEnvironment.js';
import { createS3ArtifactStore } from './s3ArtifactStore.js';

async function openStore(options: { multipartThresholdBytes?: number; partSizeBytes?: number } = {}) {
  const clients = emulatorClients();
  const bucket = uniqueName('artifacts');
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ Description: 'artifact encryption (test)' }));
  const artifacts = createS3ArtifactStore({ client: clients.s3, bucket, kmsKeyId: KeyMetadata!.KeyId!, ...options });
  const overwrite = (digest: string, bytes: Uint8Array) =>
    clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: artifacts.keyOf(digest), Body: bytes }));
  return { clients, bucket, artifacts, overwrite, keyId: KeyMetadata!.KeyId! };
}

describeArtifactStoreContract('AWS (S3 on LocalStack)', async () => {
  const { clients, artifacts, overwrite } = await openStore();
  return {
    artifacts,
    corrupt: async (digest) => void (await overwrite(digest, new TextEncoder().encode('tampered'))),
    close: async () => clients.destroy(),
  };
});

describe('the S3 artifact store', () => {
  it('encrypts with the configured KMS key under a content-addressed key', async () => {
    const { clients, bucket, artifacts, keyId } = await openStore();
    const digest = await artifacts.put(new TextEncoder().encode('a proof'));
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `artifacts/sha256/${digest.slice(7)}` }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain(keyId);
    clients.destroy();
  });

  it('uploads a large proof in parts and reads it back intact', async () => {
    const { clients, artifacts } = await openStore({ multipartThresholdBytes: 5 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 });
    const bytes = randomBytes(11 * 1024 * 1024);
    const digest = await artifacts.put(bytes);
    expect(Buffer.compare(Buffer.from(await artifacts.get(digest)), bytes)).toBe(0);
    expect(await artifacts.put(bytes)).toBe(digest);
    clients.destroy();
  });

  it('repairs a corrupted object when the same bytes are stored again', async () => {
    const { clients, artifacts, overwrite } = await openStore();
    const proof = new TextEncoder().encode('the real proof');
    const digest = await artifacts.put(proof);
    await overwrite(digest, new TextEncoder().encode('tampered'));
    await expect(artifacts.get(digest)).rejects.toBeInstanceOf(CorruptArtifactError);
    expect(await artifacts.put(proof)).toBe(digest);
    expect(Buffer.from(await artifacts.get(digest)).toString()).toBe('the real proof');
    clients.destroy();
  });
});
