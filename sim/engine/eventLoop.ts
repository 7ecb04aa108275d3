import { KeyedHeap } from './keyedHeap.js';

/** The simulated clock starts here (epoch milliseconds), so core code sees plausible timestamps. */
export const SIM_EPOCH_MS = 1_700_000_000_000;

/** Something that reacts to its own events (the fast agents): scheduling it allocates no closure. */
export interface EventTarget {
  step(): void;
}

/** A scheduled callback or target; `cancelled` ones are skipped when their time comes. */
export interface ScheduledEvent {
  readonly at: number;
  cancelled: boolean;
  readonly fire: (() => void | Promise<void>) | null;
  readonly target: EventTarget | null;
}

export interface RunOptions {
  /** Stop once this is true (checked after every event). */
  readonly until: () => boolean;
  /** Never advance past this time (epoch ms). */
  readonly limitMs: number;
  /**
   * Let every promise chain settle after each event before time moves (needed when async core code runs on this
   * clock); without it only events that return a promise are awaited.
   */
  readonly settleEveryEvent: boolean;
}

/**
 * Virtual time for a discrete-event simulation: events fire in (time, scheduling order), and time jumps from one
 * to the next. Nothing here reads the wall clock, so a seed fixes everything.
 */
export class EventLoop {
  private readonly events = new KeyedHeap<ScheduledEvent>();
  private seq = 0;
  private current = SIM_EPOCH_MS;
  private fired = 0;

  /** Epoch milliseconds of simulated time. */
  get now(): number {
    return this.current;
  }

  /** Events fired so far (the simulator's own work measure). */
  get eventsFired(): number {
    return this.fired;
  }

  get pending(): number {
    return this.events.size;
  }

  /** Schedules `fire` at `at` (never in the past). */
  at(at: number, fire: () => void | Promise<void>): ScheduledEvent {
    const event: ScheduledEvent = { at: Math.max(at, this.current), cancelled: false, fire, target: null };
    this.events.push(event.at, this.seq++, event);
    return event;
  }

  after(delayMs: number, fire: () => void | Promise<void>): ScheduledEvent {
    return this.at(this.current + delayMs, fire);
  }

  /** Calls `target.step()` after `delayMs`. */
  wake(delayMs: number, target: EventTarget): ScheduledEvent {
    return this.wakeAt(this.current + Math.max(0, delayMs), target);
  }

  /** Calls `target.step()` at `at` (never in the past). */
  wakeAt(at: number, target: EventTarget): ScheduledEvent {
    const event: ScheduledEvent = { at: Math.max(at, this.current), cancelled: false, fire: null, target };
    this.events.push(event.at, this.seq++, event);
    return event;
  }

  /** Fires events in order until `until()` holds, the limit is reached, or nothing is left. */
  async run({ until, limitMs, settleEveryEvent }: RunOptions): Promise<void> {
    const events = this.events;
    while (!until()) {
      if (events.peekKey() > limitMs) break;
      const event = events.pop();
      if (!event) break;
      if (event.cancelled) continue;
      this.current = event.at;
      this.fired++;
      const result = event.target ? event.target.step() : event.fire!();
      if (result) await result;
      if (settleEveryEvent) await settle();
    }
  }
}

/** Resolves once every microtask queued so far (and every one those queue) has run: nothing else runs here. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
