import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FunctionUrlAuthType, type FunctionUrl, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';

/**
 * Who can reach the quote API. `signed-public`: anyone on the internet, through an API Gateway HTTP API; the function
 * admits only requests signed by a currently staked sequencer (EIP-712), each once, within the sequencer's allowance
 * (core/quote/authenticateQuoteRequest.ts), and the stage throttles everyone together. `iam`: an IAM-authenticated
 * Lambda function URL in front of the same checks, for sequencers that hold AWS credentials in this account.
 */
export type QuoteAccess = 'signed-public' | 'iam';

/** Requests per second over every caller, and the burst above it (API Gateway's token bucket). */
export interface QuoteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface QuoteEndpointProps {
  readonly function: IFunction;
  readonly access: QuoteAccess;
  readonly throttle: QuoteThrottle;
  /** Encrypts the access logs. */
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
}

/** The quote API's front door: a throttled public HTTP API, or an IAM-authenticated function URL. */
export class QuoteEndpoint extends Construct {
  /** Where sequencers POST /quote. */
  readonly url: string;
  readonly access: QuoteAccess;
  readonly httpApi: HttpApi | undefined;
  readonly functionUrl: FunctionUrl | undefined;

  constructor(scope: Construct, id: string, props: QuoteEndpointProps) {
    super(scope, id);
    this.access = props.access;
    if (props.access === 'iam') {
      this.httpApi = undefined;
      this.functionUrl = props.function.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
      this.url = this.functionUrl.url;
      return;
    }
    this.functionUrl = undefined;
    const api = (this.httpApi = new HttpApi(this, 'Api', {
      description: 'prover-burst quote API: POST /quote signed by a staked sequencer (EIP-712), GET /health',
      createDefaultStage: false,
    }));
    const integration = new HttpLambdaIntegration('Quote', props.function);
    api.addRoutes({ path: '/quote', methods: [HttpMethod.POST], integration });
    api.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: props.logsKey, removalPolicy: RemovalPolicy.DESTROY });
    const stage = new HttpStage(this, 'Stage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      // Over the rate, API Gateway answers 429 before the function runs (API Gateway developer guide, HTTP API
      // throttling); one sequencer flooding within it is held to its own allowance by the function's ledger.
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            route: '$context.routeKey',
            status: '$context.status',
            bytes: '$context.responseLength',
            error: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = stage.url;
    acknowledge(
      api,
      'sequencers are outside parties with no AWS identity: the function authenticates each request by its EIP-712 signature from a staked sequencer on L1, replay-protected and throttled per sequencer (core/quote/authenticateQuoteRequest.ts); quoteAccess iam puts IAM in front instead',
      'APIG4',
    );
  }

  /** lambda:InvokeFunctionUrl and (for URLs made since October 2025) lambda:InvokeFunction; `iam` access only. */
  grantInvoke(grantee: IGrantable): Grant {
    if (!this.functionUrl) throw new Error('QuoteEndpoint: grantInvoke needs quoteAccess "iam"; the signed-public API takes no AWS identity');
    return this.functionUrl.grantInvokeUrl(grantee);
  }
}
