import type { TimelinePoint } from '../engine/simulateRun.js';

export interface TimelineChartParameters {
  readonly title: string;
  readonly timeline: readonly TimelinePoint[];
  /** Jobs in the block: the finished-proofs axis ends here. */
  readonly jobs: number;
  /** Seconds at which the root proof was done (a vertical marker), if it was. */
  readonly makespanSeconds: number | null;
  /** Seconds at which the scenario's fault struck, if any. */
  readonly faultAtSeconds: number | null;
  readonly deadlineSeconds: number;
}

const WIDTH = 960;
const HEIGHT = 440;
const MARGIN = { left: 78, right: 78, top: 56, bottom: 46 };
const COLORS = { heavy: '#c0392b', light: '#2471a3', finished: '#1e8449', marker: '#555' };

/**
 * An SVG line chart of one run: agents up per tier and ready backlog per tier (left axis), finished proofs (right
 * axis), with markers at the fault, the root proof and the deadline. Plain SVG, no dependency, readable in a browser
 * or a markdown viewer.
 */
export function timelineChart({ title, timeline, jobs, makespanSeconds, faultAtSeconds, deadlineSeconds }: TimelineChartParameters): string {
  const lastSeconds = Math.max(timeline.at(-1)?.seconds ?? 0, makespanSeconds ?? 0, 1);
  const maxCount = niceCeiling(Math.max(1, ...timeline.flatMap((p) => [p.agents.heavy, p.agents.light, p.ready.heavy, p.ready.light])));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (seconds: number) => MARGIN.left + (seconds / lastSeconds) * plotWidth;
  const yLeft = (count: number) => MARGIN.top + plotHeight - (count / maxCount) * plotHeight;
  const yRight = (count: number) => MARGIN.top + plotHeight - (count / Math.max(jobs, 1)) * plotHeight;
  const line = (value: (p: TimelinePoint) => number, y: (v: number) => number, color: string, dash = '', width = 1.6) =>
    `<polyline fill="none" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${timeline
      .map((p) => `${x(p.seconds).toFixed(1)},${y(value(p)).toFixed(1)}`)
      .join(' ')}"/>`;
  const marker = (seconds: number | null, label: string) =>
    seconds === null || seconds > lastSeconds
      ? ''
      : `<line x1="${x(seconds).toFixed(1)}" y1="${MARGIN.top}" x2="${x(seconds).toFixed(1)}" y2="${MARGIN.top + plotHeight}" stroke="${COLORS.marker}" stroke-dasharray="2 3"/>` +
        `<text x="${(x(seconds) + 4).toFixed(1)}" y="${MARGIN.top + 12}" font-size="11" fill="${COLORS.marker}">${escapeXml(label)}</text>`;
  const timeTicks = ticks(lastSeconds);
  const leftTicks = ticks(maxCount);
  const rightTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => Math.round(share * jobs));
  const legend: [string, string, string][] = [
    ['heavy agents', COLORS.heavy, ''],
    ['light agents', COLORS.light, ''],
    ['heavy ready backlog', COLORS.heavy, '5 4'],
    ['light ready backlog', COLORS.light, '5 4'],
    ['finished proofs (right axis)', COLORS.finished, ''],
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    legend
      .map(
        ([label, color, dash], i) =>
          `<line x1="${MARGIN.left + i * 172}" y1="38" x2="${MARGIN.left + i * 172 + 22}" y2="38" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
          `<text x="${MARGIN.left + i * 172 + 27}" y="42" font-size="11">${escapeXml(label)}</text>`,
      )
      .join(''),
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    ...timeTicks.map(
      (t) =>
        `<line x1="${x(t).toFixed(1)}" y1="${MARGIN.top + plotHeight}" x2="${x(t).toFixed(1)}" y2="${MARGIN.top + plotHeight + 4}" stroke="#999"/>` +
        `<text x="${x(t).toFixed(1)}" y="${MARGIN.top + plotHeight + 17}" font-size="11" text-anchor="middle">${t}</text>`,
    ),
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" font-size="12" text-anchor="middle">seconds since proving started</text>`,
    ...leftTicks.map(
      (c) =>
        `<line x1="${MARGIN.left - 4}" y1="${yLeft(c).toFixed(1)}" x2="${MARGIN.left + plotWidth}" y2="${yLeft(c).toFixed(1)}" stroke="#eee"/>` +
        `<text x="${MARGIN.left - 7}" y="${(yLeft(c) + 4).toFixed(1)}" font-size="11" text-anchor="end">${c.toLocaleString('en-US')}</text>`,
    ),
    ...rightTicks.map(
      (c) =>
        `<text x="${MARGIN.left + plotWidth + 7}" y="${(yRight(c) + 4).toFixed(1)}" font-size="11" fill="${COLORS.finished}">${c.toLocaleString('en-US')}</text>`,
    ),
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" font-size="12" text-anchor="middle">agents / ready jobs</text>`,
    line((p) => p.agents.heavy, yLeft, COLORS.heavy),
    line((p) => p.agents.light, yLeft, COLORS.light),
    line((p) => p.ready.heavy, yLeft, COLORS.heavy, '5 4'),
    line((p) => p.ready.light, yLeft, COLORS.light, '5 4'),
    line((p) => p.finished, yRight, COLORS.finished, '', 2.4),
    marker(faultAtSeconds, 'fault'),
    marker(makespanSeconds, 'root proven'),
    marker(deadlineSeconds, 'deadline'),
    '</svg>',
    '',
  ].join('\n');
}

/** About five round tick values from 0 to `max`. */
function ticks(max: number): number[] {
  const step = niceCeiling(max / 5);
  const values: number[] = [];
  for (let value = 0; value <= max + 1e-9; value += step) values.push(value);
  return values;
}

/** The smallest 1, 2 or 5 × 10^k at or above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
