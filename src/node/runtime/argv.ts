/** `--key value` of a runtime entry point's argv (the bundled runner and server parse no more). */
export function optionOf(argv: readonly string[]): (key: string) => string | undefined {
  return (key) => {
    const i = argv.indexOf(`--${key}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
}
