import { MalformedProofArtifactError } from '../errors/proverErrors.js';

/** A tx or merge proof as stored: the public inputs bb wrote beside the proof travel with it to the parent. */
export interface ChildProof {
  readonly publicInputs: Uint8Array;
  readonly proof: Uint8Array;
}

const FIELD_BYTES = 32;

/** `publicInputs.length` (u32, big-endian) ‖ publicInputs ‖ proof. The root's artifact is its bare proof (L1's bytes). */
export function encodeChildProof({ publicInputs, proof }: ChildProof): Uint8Array {
  const bytes = new Uint8Array(4 + publicInputs.length + proof.length);
  new DataView(bytes.buffer).setUint32(0, publicInputs.length);
  bytes.set(publicInputs, 4);
  bytes.set(proof, 4 + publicInputs.length);
  return bytes;
}

export function decodeChildProof(bytes: Uint8Array): ChildProof {
  if (bytes.length < 4) throw new MalformedProofArtifactError(`a child proof artifact of ${bytes.length} bytes`, { length: bytes.length });
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const proofBytes = bytes.length - 4 - length;
  if (length % FIELD_BYTES !== 0 || proofBytes <= 0 || proofBytes % FIELD_BYTES !== 0) {
    throw new MalformedProofArtifactError(`child proof artifact declares ${length} bytes of public inputs in ${bytes.length}`, {
      length,
      total: bytes.length,
    });
  }
  return { publicInputs: bytes.subarray(4, 4 + length), proof: bytes.subarray(4 + length) };
}

/** 32-byte big-endian words as the 0x-hex strings noir_js takes for `[Field; N]`. */
export function toFields(bytes: Uint8Array): string[] {
  return Array.from({ length: bytes.length / FIELD_BYTES }, (_, i) => `0x${Buffer.from(bytes.subarray(i * FIELD_BYTES, (i + 1) * FIELD_BYTES)).toString('hex')}`);
}
