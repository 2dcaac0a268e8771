/**
 * Dinic's max-flow on a small dense-ish graph; the min cut is read off as the set of nodes
 * reachable from the source in the residual graph. Capacities may be Infinity.
 */
export class FlowNetwork {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];

  constructor(readonly size: number) {
    this.head = new Array<number>(size).fill(-1);
  }

  addEdge(from: number, to: number, capacity: number): void {
    if (capacity <= 0) return;
    this.push(from, to, capacity);
    this.push(to, from, 0);
  }

  private push(from: number, to: number, capacity: number): void {
    this.to.push(to);
    this.cap.push(capacity);
    this.next.push(this.head[from] as number);
    this.head[from] = this.to.length - 1;
  }

  /** Max-flow value from s to t; afterwards sourceSide() gives the min cut's source side. */
  maxFlow(s: number, t: number): number {
    let flow = 0;
    for (;;) {
      const level = this.levels(s);
      if ((level[t] as number) < 0) return flow;
      const iter = [...this.head];
      for (;;) {
        const pushed = this.augment(s, t, Infinity, level, iter);
        if (pushed <= 0) break;
        if (!Number.isFinite(pushed)) return Infinity;
        flow += pushed;
      }
    }
  }

  private levels(s: number): number[] {
    const level = new Array<number>(this.size).fill(-1);
    level[s] = 0;
    const queue = [s];
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q] as number;
      for (let e = this.head[u] as number; e >= 0; e = this.next[e] as number) {
        const v = this.to[e] as number;
        if ((this.cap[e] as number) > EPS && (level[v] as number) < 0) {
          level[v] = (level[u] as number) + 1;
          queue.push(v);
        }
      }
    }
    return level;
  }

  private augment(u: number, t: number, limit: number, level: number[], iter: number[]): number {
    if (u === t) return limit;
    for (let e = iter[u] as number; e >= 0; e = this.next[e] as number, iter[u] = e) {
      const v = this.to[e] as number;
      const c = this.cap[e] as number;
      if (c <= EPS || (level[v] as number) !== (level[u] as number) + 1) continue;
      const pushed = this.augment(v, t, Math.min(limit, c), level, iter);
      if (pushed > 0) {
        this.cap[e] = c - pushed;
        this.cap[e ^ 1] = (this.cap[e ^ 1] as number) + pushed;
        return pushed;
      }
    }
    iter[u] = -1;
    return 0;
  }

  /** Nodes reachable from s in the residual graph (call after maxFlow). */
  sourceSide(s: number): boolean[] {
    return this.levels(s).map((l) => l >= 0);
  }
}

/** Residual capacities below this are treated as zero (latencies are doubles in ms). */
const EPS = 1e-9;
