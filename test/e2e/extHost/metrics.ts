/** Numbers the extension-host suites measure, written to the results file by index.ts (bench/vscodeUi.mjs reads them). */
export const metrics: Record<string, number> = {};
