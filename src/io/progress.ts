// Progress from byte counters, sampled at most a few times a second and tagged with a phase
// (as etcher-sdk does), so the bridge and Write-Progress are never flooded.

export type ProgressPhase = 'write' | 'verify';

export interface ProgressEvent {
  readonly phase: ProgressPhase;
  readonly percent: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly status: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

export const PROGRESS_INTERVAL_MS = 250;

export class ProgressMeter {
  #done = 0;
  #lastEmit = 0;
  #lastPercent = -1;

  constructor(
    private readonly phase: ProgressPhase,
    private readonly bytesTotal: number,
    private readonly listener: ProgressListener | undefined,
    private status: string,
    private readonly now: () => number = Date.now,
  ) {}

  get bytesDone(): number {
    return this.#done;
  }

  setStatus(status: string): void {
    this.status = status;
  }

  add(bytes: number): void {
    this.#done += bytes;
    const t = this.now();
    if (t - this.#lastEmit >= PROGRESS_INTERVAL_MS) this.#emit(t);
  }

  /** Always emits: the first and last event of a phase are never dropped. */
  start(): void {
    this.#emit(this.now(), true);
  }

  finish(): void {
    this.#done = Math.max(this.#done, this.bytesTotal);
    this.#emit(this.now(), true);
  }

  #emit(t: number, force = false): void {
    if (!this.listener) return;
    const percent = this.bytesTotal === 0 ? 100 : Math.min(100, Math.floor((this.#done * 100) / this.bytesTotal));
    if (!force && percent === this.#lastPercent && t - this.#lastEmit < 1000) return;
    this.#lastEmit = t;
    this.#lastPercent = percent;
    this.listener({ phase: this.phase, percent, bytesDone: this.#done, bytesTotal: this.bytesTotal, status: this.status });
  }
}
