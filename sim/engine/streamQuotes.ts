import { QUOTE_EVERY_BLOCK, type StreamQuote } from './simulateStream.js';

/** The quotes a stream can run with, by name (a worker thread gets the name, not the function). */
export const STREAM_QUOTE_NAMES = ['every-block'] as const;
export type StreamQuoteName = (typeof STREAM_QUOTE_NAMES)[number];

/** The quote function a name stands for, and how the report names it. */
export function streamQuote(name: StreamQuoteName): { readonly quote: StreamQuote; readonly name: string } {
  switch (name) {
    case 'every-block':
      return { quote: QUOTE_EVERY_BLOCK, name: 'every block taken on (no capacity check)' };
  }
}
