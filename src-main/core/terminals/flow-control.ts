// Lossless flow control between a terminal's source (SSH channel, pty) and the renderer: count
// the bytes sent but not yet acknowledged (the renderer acks after xterm has parsed them); above
// the high-water mark the source is paused, at or below the low-water mark it is resumed. Pure:
// the caller performs the pause/resume this returns.

export interface Watermarks {
  readonly highWater: number;
  readonly lowWater: number;
}

export type FlowAction = 'pause' | 'resume' | null;

export class FlowControl {
  private unackedBytes = 0;
  private isPaused = false;
  private overAcked = 0;

  constructor(readonly marks: Watermarks) {
    if (!(marks.lowWater >= 0 && marks.highWater > marks.lowWater)) {
      throw new RangeError(
        `watermarks need 0 <= low < high (got ${marks.lowWater}/${marks.highWater})`,
      );
    }
  }

  get unacked(): number {
    return this.unackedBytes;
  }
  get paused(): boolean {
    return this.isPaused;
  }
  /** Bytes acknowledged beyond what was sent (a client bug; clamped, kept for diagnostics). */
  get excessAcks(): number {
    return this.overAcked;
  }

  /** `bytes` were sent to the renderer. Returns 'pause' when the source must stop now. */
  sent(bytes: number): FlowAction {
    this.unackedBytes += bytes;
    if (!this.isPaused && this.unackedBytes > this.marks.highWater) {
      this.isPaused = true;
      return 'pause';
    }
    return null;
  }

  /** The renderer parsed `bytes`. Returns 'resume' when the source may flow again. */
  acked(bytes: number): FlowAction {
    const take = Math.min(bytes, this.unackedBytes);
    this.overAcked += bytes - take;
    this.unackedBytes -= take;
    if (this.isPaused && this.unackedBytes <= this.marks.lowWater) {
      this.isPaused = false;
      return 'resume';
    }
    return null;
  }
}
