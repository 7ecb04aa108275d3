// The CDK app's entrypoint (cdk.json: `npx tsx infra/app.ts`).
import { createProverBurstApp } from './proverBurstApp.js';

createProverBurstApp().app.synth();
