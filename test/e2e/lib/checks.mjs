// Named checks, counted into "N passed, M failed". A check that needs one that failed is not run
// and counts as failed (so a broken first step costs seconds, not a timeout per later step).
export class Checks {
  constructor({ log = console.log, screenshot } = {}) {
    this.log = log;
    this.screenshot = screenshot; // async (name) => file, called after each check
    this.results = [];
    this.counter = 0;
  }

  /** Runs FN as check NAME (FN may return a detail string). Returns true when it passed. */
  async check(name, fn, { needs = [], shot = true } = {}) {
    const idx = ++this.counter;
    const failedNeed = needs.find((n) => !this.passed(n));
    if (failedNeed) {
      this.record({ name, state: 'failed', detail: `not run: needs "${failedNeed}", which did not pass` });
      return false;
    }
    const t0 = Date.now();
    let state = 'passed';
    let detail = '';
    try {
      detail = (await fn()) ?? '';
    } catch (e) {
      state = 'failed';
      detail = e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n      ') : String(e);
    }
    let file = '';
    if (shot && this.screenshot) file = await this.screenshot(`${String(idx).padStart(2, '0')}-${slug(name)}${state === 'failed' ? '-FAILED' : ''}`);
    this.record({ name, state, detail, ms: Date.now() - t0, file });
    return state === 'passed';
  }

  skip(name, why) {
    this.record({ name, state: 'skipped', detail: why });
  }

  /** Adds a result decided elsewhere (e.g. a mocha test inside the extension host). */
  record(r) {
    this.results.push(r);
    const mark = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' }[r.state];
    const ms = r.ms !== undefined ? ` (${(r.ms / 1000).toFixed(1)} s)` : '';
    this.log(`  ${mark} ${r.name}${ms}${r.detail ? ` — ${r.detail}` : ''}`);
  }

  passed(name) {
    return this.results.some((r) => r.name === name && r.state === 'passed');
  }

  get stats() {
    const n = (s) => this.results.filter((r) => r.state === s).length;
    return { passes: n('passed'), failures: n('failed'), pending: n('skipped') };
  }
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}
