import { DescribeInstanceTypeOfferingsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { InstanceTypesUnavailableError } from '../errors/infraErrors.js';

/** The CloudFormation custom resource event, as the CDK provider framework hands it on. */
export interface InstanceTypesEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: {
    readonly Tier: string;
    /** Comma-separated, in order of preference. */
    readonly Candidates: string;
    /** "true": every candidate must be offered (the operator named them); otherwise the offered ones are used. */
    readonly Required?: string;
  };
}

/**
 * Deploy time only: which of a tier's instance types the region offers (DescribeInstanceTypeOfferings, location type
 * region), so a region without c7a (many are) gets the others instead of a compute environment Batch refuses. With none
 * offered, or any of an operator's explicit list missing, the deployment fails naming what the region offers of the
 * same size.
 */
export function createInstanceTypesHandler(client: Pick<EC2Client, 'send'> = new EC2Client({}), region = process.env.AWS_REGION ?? 'the region') {
  const offered = async (patterns: readonly string[]): Promise<string[]> => {
    const found: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new DescribeInstanceTypeOfferingsCommand({ LocationType: 'region', Filters: [{ Name: 'instance-type', Values: [...patterns] }], NextToken }),
      );
      found.push(...(page.InstanceTypeOfferings ?? []).map((offering) => offering.InstanceType!).filter(Boolean));
      NextToken = page.NextToken;
    } while (NextToken);
    return found;
  };

  return async (event: InstanceTypesEvent): Promise<{ PhysicalResourceId: string; Data?: { InstanceTypes: string } }> => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? 'deleted' };
    const { Tier, Candidates, Required } = event.ResourceProperties;
    const candidates = Candidates.split(',').map((name) => name.trim()).filter(Boolean);
    const available = new Set(await offered(candidates));
    const usable = candidates.filter((name) => available.has(name));
    const missing = candidates.filter((name) => !available.has(name));
    if (usable.length === 0 || (Required === 'true' && missing.length > 0)) {
      const sizes = [...new Set(candidates.map((name) => name.split('.')[1]))];
      const sameSize = await offered(sizes.flatMap((size) => ['c', 'm', 'r'].map((family) => `${family}*.${size}`)));
      throw new InstanceTypesUnavailableError(region, Tier, missing, sameSize.sort());
    }
    const joined = usable.join(',');
    return { PhysicalResourceId: `${Tier}:${joined}`, Data: { InstanceTypes: joined } };
  };
}

export const handler = createInstanceTypesHandler();
