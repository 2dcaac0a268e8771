/** What the layout step is given and returns (shared by the worker and the view). */
export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export interface LayoutRequest {
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LayoutResult {
  readonly positions: Readonly<Record<string, Point>>;
  /** Polyline per edge id (start, bends, end); absent edges are drawn straight. */
  readonly routes: Readonly<Record<string, readonly Point[]>>;
  readonly width: number;
  readonly height: number;
  readonly engine: 'elk' | 'fallback';
}
