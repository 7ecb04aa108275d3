import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../../core/ports/logger.js';

/**
 * The core Logger port on Powertools: JSON lines with the service name, Lambda context when there is one, bigints
 * and errors serialised. The level comes from POWERTOOLS_LOG_LEVEL (INFO by default).
 */
export function powertoolsLogger(serviceName: string, persistentKeys: Record<string, string> = {}): Logger & { readonly powertools: PowertoolsLogger } {
  const powertools = new PowertoolsLogger({ serviceName, persistentKeys });
  return {
    powertools,
    debug: (message, fields) => powertools.debug(message, fields ?? {}),
    info: (message, fields) => powertools.info(message, fields ?? {}),
    warn: (message, fields) => powertools.warn(message, fields ?? {}),
    error: (message, fields) => powertools.error(message, fields ?? {}),
  };
}
