import { DescribeInstanceTypeOfferingsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { createInstanceTypesHandler } from '../../infra/instanceOfferings/handler.js';
import { InstanceTypesUnavailableError } from '../../infra/errors/infraErrors.js';

/** EC2 in a region that, like ap-south-1 today, has c7i and c6i but no c7a; filter values may hold wildcards. */
function ec2Offering(types: readonly string[]) {
  const calls: string[][] = [];
  return {
    calls,
    async send(command: unknown) {
      if (!(command instanceof DescribeInstanceTypeOfferingsCommand)) throw new Error('only DescribeInstanceTypeOfferings');
      expect(command.input.LocationType).toBe('region');
      const patterns = command.input.Filters![0]!.Values!;
      calls.push(patterns);
      const matches = (name: string) => patterns.some((pattern) => new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`).test(name));
      return { InstanceTypeOfferings: types.filter(matches).map((InstanceType) => ({ InstanceType, LocationType: 'region', Location: 'ap-south-1' })) };
    },
  };
}
const REGION_TYPES = ['c7i.8xlarge', 'c6i.8xlarge', 'c6a.8xlarge', 'm7i.8xlarge', 'c7i.2xlarge', 'c6i.2xlarge'];
const event = (candidates: string, required = false) => ({ RequestType: 'Create' as const, ResourceProperties: { Tier: 'heavy', Candidates: candidates, Required: String(required) } });

describe('the instance types custom resource (deploy time)', () => {
  it('answers the defaults the region offers, in their order, without the missing c7a', async () => {
    const handler = createInstanceTypesHandler(ec2Offering(REGION_TYPES), 'ap-south-1');
    await expect(handler(event('c7i.8xlarge,c6i.8xlarge,c7a.8xlarge'))).resolves.toEqual({
      PhysicalResourceId: 'heavy:c7i.8xlarge,c6i.8xlarge',
      Data: { InstanceTypes: 'c7i.8xlarge,c6i.8xlarge' },
    });
  });

  it('fails the deployment when the region offers none of them, naming what it offers of the same size', async () => {
    const handler = createInstanceTypesHandler(ec2Offering(REGION_TYPES), 'ap-south-1');
    const failure = handler(event('c7a.8xlarge,c8a.8xlarge'));
    await expect(failure).rejects.toThrow(InstanceTypesUnavailableError);
    await expect(failure).rejects.toThrow('ap-south-1 does not offer c7a.8xlarge, c8a.8xlarge for the heavy tier; of the same size it offers c6a.8xlarge, c6i.8xlarge, c7i.8xlarge, m7i.8xlarge');
  });

  it('requires every type an operator named', async () => {
    const handler = createInstanceTypesHandler(ec2Offering(REGION_TYPES), 'ap-south-1');
    await expect(handler(event('c7i.8xlarge,c7a.8xlarge', true))).rejects.toMatchObject({ name: 'InstanceTypesUnavailableError', missing: ['c7a.8xlarge'] });
    await expect(handler(event('c7i.8xlarge,c6i.8xlarge', true))).resolves.toMatchObject({ Data: { InstanceTypes: 'c7i.8xlarge,c6i.8xlarge' } });
  });

  it('reads nothing when the resource is deleted', async () => {
    const ec2 = ec2Offering(REGION_TYPES);
    await expect(createInstanceTypesHandler(ec2, 'ap-south-1')({ RequestType: 'Delete', PhysicalResourceId: 'heavy:c7i.8xlarge', ResourceProperties: event('c7i.8xlarge').ResourceProperties })).resolves.toEqual({ PhysicalResourceId: 'heavy:c7i.8xlarge' });
    expect(ec2.calls).toEqual([]);
  });
});
