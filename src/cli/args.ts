/** Parsed command line: positional arguments, repeated options, and flags. */
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag` arguments. `valued` lists the options
 * that take a value; any other `--x` is a flag, and unknown ones are refused by the caller.
 */
export function parseArgs(argv: readonly string[], valued: ReadonlySet<string>): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (!valued.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { positional, options, flags };
}

/** `--dim name=value` pairs as a record; values must be positive integers. */
export function parseDims(values: readonly string[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v);
    if (!m || Number(m[2]) < 1) throw new UsageError(`--dim ${v}: expected NAME=VALUE with a positive integer VALUE`);
    dims[m[1] as string] = Number(m[2]);
  }
  return dims;
}

export function checkKnown(args: ParsedArgs, flags: readonly string[], command: string): void {
  for (const f of args.flags) {
    if (!flags.includes(f)) throw new UsageError(`edgecut ${command}: unknown option --${f}`);
  }
}
