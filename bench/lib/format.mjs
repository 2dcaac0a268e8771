// Number formats the benchmark sections share.

/** A signed percentage with one decimal: +3.1%, -0.4%. */
export const signedPct = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
