import type { Address } from 'viem';
import { routeQuoteRequest } from '../../adapters/http/routeQuoteRequest.js';
import { DEFAULT_COST_MODEL } from '../../core/cost/costModel.js';
import { createDynamoQuoteRequestLedger } from '../../adapters/aws/dynamoQuoteRequestLedger.js';
import { createDynamoSignedQuotes } from '../../adapters/aws/dynamoSignedQuotes.js';
import { cloudFleetQuota } from '../../runtime/aws/runSettings.js';
import { quoteAnswerer } from '../../core/quote/answerQuoteRequest.js';
import { authenticateQuoteRequest } from '../../core/quote/authenticateQuoteRequest.js';
import { createSequencerStakes } from '../../l1/rollup/sequencerStakes.js';
import { signProverQuote } from '../../l1/quotes/quoteSignatures.js';
import { createWalletClient, custom } from 'viem';
import type { AwsClientOptions } from '../../runtime/aws/clients.js';
import { functionObservability, lambdaHandler, tracedClients } from '../../runtime/aws/observability.js';
import { lazyBlockRunContext } from '../../runtime/aws/blockRunContext.js';
import { ProverIdMismatchError } from '../errors/functionErrors.js';

const SERVICE = 'prover-burst-quote';

/** The event fields the quote API reads: payload format 2.0, as API Gateway HTTP APIs and function URLs send it. */
interface FunctionUrlEvent {
  readonly rawPath?: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  /** Header names in lower case, as function URLs deliver them. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

/**
 * The quote API, behind a public HTTP API (or an IAM-authenticated function URL): admits requests signed by a
 * currently staked sequencer, once each, within its allowance (the ledger in the job table), checks the revealed body
 * on L1, prices the block from the cost model and the deadline slack, and signs the quote with the prover id's KMS key.
 */
export function createQuoteHandler(env: NodeJS.ProcessEnv = process.env, clientOptions: AwsClientOptions = {}, observability = functionObservability(SERVICE, env)) {
  const context = lazyBlockRunContext(env, { service: SERVICE, signing: true, clientOptions: tracedClients(observability.tracer, clientOptions), log: observability.log });
  return async (event: FunctionUrlEvent) => {
    const { config, deps, settings, signer, publicClient, clients } = await context();
    const rollup = config.ROLLUP_ADDRESS as Address;
    if (signer.address.toLowerCase() !== config.PROVER_ID.toLowerCase()) throw new ProverIdMismatchError(config.PROVER_ID, signer.address);
    const wallet = createWalletClient({ account: signer, chain: publicClient.chain, transport: custom({ request: () => Promise.reject(new Error('quotes are signed, never sent')) }) });
    const answerQuote = quoteAnswerer(
      {
        chain: deps.chain,
        log: deps.log,
        sign: async (terms) => (await signProverQuote(wallet, { chainId: config.L1_CHAIN_ID, rollup: config.ROLLUP_ADDRESS as Address }, terms)).proverSignature,
        fleet: {
          targets: deps.targets,
          quotes: createDynamoSignedQuotes({ client: clients.dynamodb, tableName: config.JOB_TABLE_NAME }),
          quota: cloudFleetQuota(settings.scaling, config.QUOTE_LAUNCH_TOKENS),
        },
      },
      {
        proverId: config.PROVER_ID as Address,
        profile: config.CIRCUIT_PROFILE,
        costModel: { ...DEFAULT_COST_MODEL, usdPerEth: config.COST_USD_PER_ETH, margin: config.COST_MARGIN },
        bond: config.QUOTE_BOND_WEI,
        secondsPerExpectedSecond: config.EXPECTED_SECOND_SCALE,
        provisioningSeconds: 180,
        maxTxs: config.MAX_TXS,
      },
    );
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    const stakes = createSequencerStakes(publicClient, rollup);
    const ledger = createDynamoQuoteRequestLedger({ client: clients.dynamodb, tableName: config.JOB_TABLE_NAME });
    const authenticate = async (signed: Parameters<typeof authenticateQuoteRequest>[0]) =>
      authenticateQuoteRequest(signed, { chainId: config.L1_CHAIN_ID, rollup, nowSeconds: await deps.chain.latestTimestamp(), stakes, ledger });
    const request = { method: event.requestContext?.http?.method ?? '', path: event.rawPath ?? '', contentType: event.headers?.['content-type'], body };
    const { status, body: answer } = await routeQuoteRequest(request, { authenticate, answer: answerQuote });
    return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) };
  };
}

const observability = functionObservability(SERVICE);
export const handler = lambdaHandler(observability, createQuoteHandler(process.env, {}, observability));
