import { fileURLToPath } from 'node:url';

/** The repository root: the Lambda entries, the lockfile and the agent image's build context are found from it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
