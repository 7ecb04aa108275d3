import { describe, expect, it } from 'vitest';
import { AgentWithoutInstanceError } from '../errors/index.js';
import type { FleetAgent } from './fleet.js';
import { simInstancePresence } from './simInstancePresence.js';

describe('simInstancePresence', () => {
  it('names the simulator bug of an agent placed on no instance', () => {
    const stray = { id: 'agent-7', instance: null } as unknown as FleetAgent;
    expect(() => simInstancePresence(stray)).toThrow(AgentWithoutInstanceError);
    expect(() => simInstancePresence(stray)).toThrow('simulator bug: agent agent-7 runs on no instance');
  });
});
