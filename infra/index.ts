// What a firm's own CDK app imports to embed prover-burst.
export { ProvingOrchestrator, type AgentTierOptions, type ProvingMode, type ProvingOrchestratorProps } from './provingOrchestrator.js';
export { ProverBackend, type CommandProverOptions, type SimulatedProverOptions } from './proverBackend.js';
