import { createRequire } from 'node:module';

/** What asl-validator (npm, CommonJS, untyped) answers for a definition. */
export interface AslValidation {
  readonly isValid: boolean;
  readonly errorsText: (separator?: string) => string;
}

/** asl-validator 4: the Amazon States Language JSON schemas plus its transition, terminal-state and path checks. */
export const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
) => AslValidation;
