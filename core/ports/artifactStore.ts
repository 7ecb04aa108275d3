/** Proofs and block bodies, addressed by the sha256 of their content. */
export interface ArtifactStore {
  /**
   * Stores the bytes and returns their digest (`sha256:<hex>`). Storing the same bytes again is harmless, and
   * repairs an artifact whose stored bytes were corrupted (a re-proof has the same digest).
   */
  put(bytes: Uint8Array): Promise<string>;
  /**
   * Returns the bytes, checked against the digest. Throws `CorruptArtifactError` when they do not match and
   * `MissingArtifactError` when there is nothing under the digest.
   */
  get(digest: string): Promise<Uint8Array>;
}
