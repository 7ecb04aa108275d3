import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { orchestratorPropsOf, readAppContext } from '../../infra/appContext.js';
import { AppContextError } from '../../infra/errors/infraErrors.js';
import { ProvingOrchestrator } from '../../infra/provingOrchestrator.js';
import { ProverBackend } from '../../infra/proverBackend.js';

const ROLLUP = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('the app context (cdk.json, -c key=value)', () => {
  it('reads -c strings as the types the construct takes', () => {
    const context = readAppContext(
      (key) =>
        ({
          rollupAddress: ROLLUP,
          l1ChainId: '11155111',
          stateRootSource: 'devnet-transition',
          confirmations: '3',
          spot: 'false',
          heavyInstanceTypes: 'c7i.8xlarge, m7i.8xlarge',
          heavyMaxvCpus: '4096',
          artifactRetentionDays: '3',
          natGateways: '0',
        })[key],
    );
    const props = orchestratorPropsOf(context, {});
    expect(props).toMatchObject({ rollupAddress: ROLLUP, l1ChainId: 11155111, confirmations: 3, natGateways: 0, heavy: { maxvCpus: 4096, spot: false }, light: { spot: false } });
    expect(props.heavy?.instanceTypes?.map(String)).toEqual(['c7i.8xlarge', 'm7i.8xlarge']);
    expect(props.artifactRetention?.toDays()).toBe(3);
    expect(props.proverBackend?.simulated).toBe(true);
  });

  it('names every bad value at once', () => {
    const read = () => readAppContext((key) => ({ rollupAddress: '0x1234', l1ChainId: 'mainnet', provingMode: 'sometimes' })[key]);
    expect(read).toThrow(AppContextError);
    expect(read).toThrow(/rollupAddress must be a 20-byte 0x address \(got "0x1234"\).*l1ChainId.*provingMode/);
  });

  it('asks for the state-root source by name: no deployment defaults to the devnet\'s stand-in', () => {
    expect(() => readAppContext((key) => ({ rollupAddress: ROLLUP, l1ChainId: 1 })[key])).toThrow(/stateRootSource .* \(got nothing\)/);
    expect(() => readAppContext((key) => ({ rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'rollup-node' })[key])).toThrow(/stateRootSource .* \(got "rollup-node"\)/);
    expect(orchestratorPropsOf(readAppContext((key) => ({ rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'devnet-transition' })[key]), {})).toMatchObject({ stateRootSource: 'devnet-transition' });
  });

  it('a command prover needs its command; it then replaces the SIMULATED one', () => {
    expect(() => readAppContext((key) => ({ rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'devnet-transition', proverBackend: 'command' })[key])).toThrow(/proverCommand is required/);
    expect(() => readAppContext((key) => ({ rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'devnet-transition', proverBackend: 'command', proverCommand: '/opt/prover/bin/prove' })[key])).toThrow(
      /proverCommand must be a JSON array of strings/,
    );
    const context = readAppContext(
      (key) => ({ rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'devnet-transition', proverBackend: 'command', proverCommand: '["/opt/prover/bin/prove","--threads","31"]', proverImage: 'ghcr.io/firm/prover:1.2' })[key],
    );
    const backend = orchestratorPropsOf(context, {}).proverBackend!;
    expect(backend.simulated).toBe(false);
    expect(backend.environment()).toMatchObject({ PROVER_BACKEND: 'command', PROVER_COMMAND: '["/opt/prover/bin/prove","--threads","31"]' });
    expect(backend.buildArgs()).toEqual({ PROVER_IMAGE: 'ghcr.io/firm/prover:1.2' });
  });

  it('a barretenberg prover proves noir-tree for real, with the genuine Ignition SRS', () => {
    const context = readAppContext((key) => ({ rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'devnet-transition', proverBackend: 'barretenberg', circuitProfile: 'noir-tree' })[key]);
    const backend = orchestratorPropsOf(context, {}).proverBackend!;
    expect(backend.simulated).toBe(false);
    expect(backend.environment()).toMatchObject({ PROVER_BACKEND: 'barretenberg', NOIR_TREE_SRS: 'ignition' });
  });
});

describe('ProvingOrchestrator props', () => {
  const build = (props: Partial<ConstructorParameters<typeof ProvingOrchestrator>[2]>) => () =>
    new ProvingOrchestrator(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test'), 'Orchestrator', { rollupAddress: ROLLUP, l1ChainId: 1, stateRootSource: 'devnet-transition', ...props });

  it('refuses at synth what would only fail once deployed', () => {
    expect(build({ rollupAddress: 'rollup' })).toThrow(/rollupAddress must be a 20-byte 0x address, got rollup/);
    expect(build({ proverId: '0xabc' })).toThrow(/proverId must be/);
    expect(build({ circuitProfile: 'rfp-2024' })).toThrow(/circuitProfile must be one of rfp-2023, aztec-v5, noir-tree, got rfp-2024/);
    expect(build({ l1ChainId: 0 })).toThrow(/l1ChainId must be a positive integer/);
    expect(build({ stateRootSource: 'rollup-node' as 'devnet-transition' })).toThrow(/stateRootSource must be one of devnet-transition, got rollup-node/);
    expect(build({ proverBackend: ProverBackend.barretenberg() })).toThrow(/barretenberg prover backend proves the noir-tree circuit profile, got circuitProfile rfp-2023/);
  });

  it('says what it proves with: SIMULATED unless a command is given', () => {
    expect(ProverBackend.simulated().describe()).toMatch(/^SIMULATED/);
    expect(ProverBackend.command(['/opt/prover/bin/prove']).describe()).not.toMatch(/SIMULATED/);
    expect(() => ProverBackend.command([])).toThrow(/needs an executable/);
  });
});
