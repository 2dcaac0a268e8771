import { fmtBytes } from '../../core/format';

/** An upload's progress as lines for REPORT: "LABEL: 1.2 MB of 3.4 MB", at most one per tenth. */
export function transferProgress(label: string, report: (line: string) => void): (sent: number, total: number) => void {
  let shown = -1;
  return (sent, total) => {
    const tenth = Math.floor((10 * sent) / Math.max(1, total));
    if (tenth === shown) return;
    shown = tenth;
    report(`${label}: ${fmtBytes(sent)} of ${fmtBytes(total)}`);
  };
}
