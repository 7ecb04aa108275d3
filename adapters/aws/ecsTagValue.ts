/**
 * ECS's tag pattern (ECS API reference, `Tag`: keys and values match `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, values at most
 * 256 characters). Batch propagates a job's tags to its ECS task (`propagateTags`), where ECS enforces this pattern,
 * so every tag the Batch adapter sets must satisfy it.
 */
export const ECS_TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const ECS_TAG_VALUE_MAX_LENGTH = 256;

/**
 * `text` as an ECS tag value: each run of characters ECS refuses (brackets, commas, quotes, control characters, …)
 * becomes one space, surrounding whitespace goes, and the result is cut to 256 characters (code points, not UTF-16
 * units, so a cut never splits a character).
 */
export function ecsTagValue(text: string): string {
  const allowed = text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return [...allowed].slice(0, ECS_TAG_VALUE_MAX_LENGTH).join('').trimEnd();
}
