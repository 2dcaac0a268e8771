/** Zoom (wheel, +/-), pan (drag, arrow keys) and fit for an SVG with one transformed <g>. */
export interface Viewport {
  x: number;
  y: number;
  k: number;
}

export class PanZoom {
  private view: Viewport = { x: 0, y: 0, k: 1 };
  /** Whether the user has zoomed or panned (then re-layouts keep their view). */
  touched = false;
  private drag: { x: number; y: number } | undefined;

  constructor(
    private readonly svgEl: SVGSVGElement,
    private readonly layer: SVGGElement,
    private readonly onChange: (v: Viewport) => void,
  ) {
    svgEl.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    svgEl.addEventListener('pointerdown', (e) => {
      if ((e.target as Element).closest('[data-testid=layer],[data-testid=layer-group]')) return;
      this.drag = { x: e.clientX, y: e.clientY };
      this.touched = true;
      svgEl.setPointerCapture(e.pointerId);
      svgEl.classList.add('panning');
    });
    svgEl.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      this.set({ ...this.view, x: this.view.x + e.clientX - this.drag.x, y: this.view.y + e.clientY - this.drag.y });
      this.drag = { x: e.clientX, y: e.clientY };
    });
    svgEl.addEventListener('pointerup', () => {
      this.drag = undefined;
      svgEl.classList.remove('panning');
    });
  }

  get viewport(): Viewport {
    return this.view;
  }

  set(v: Viewport): void {
    this.view = { x: v.x, y: v.y, k: Math.min(4, Math.max(0.05, v.k)) };
    this.layer.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
    this.onChange(this.view);
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    this.touched = true;
    const r = this.svgEl.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    const k = Math.min(4, Math.max(0.05, this.view.k * factor));
    const f = k / this.view.k;
    this.set({ k, x: px - (px - this.view.x) * f, y: py - (py - this.view.y) * f });
  }

  panBy(dx: number, dy: number): void {
    this.touched = true;
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy });
  }

  /** Fits a content box (in layout units) into the visible area. */
  fit(width: number, height: number): void {
    const r = this.svgEl.getBoundingClientRect();
    const k = Math.min(1.2, (r.width - 40) / Math.max(width, 1), (r.height - 40) / Math.max(height, 1));
    this.set({ k, x: (r.width - width * k) / 2, y: 20 });
  }

  /** The opening view: the whole width (at most 100 %), from the top; tall graphs scroll on. */
  fitWidth(width: number, height: number): void {
    const r = this.svgEl.getBoundingClientRect();
    const k = Math.min(1, (r.width - 40) / Math.max(width, 1));
    if (height * k <= r.height - 40) return this.fit(width, height);
    this.set({ k, x: (r.width - width * k) / 2, y: 20 });
  }

  /** Centres a point (in layout units). */
  centre(x: number, y: number): void {
    const r = this.svgEl.getBoundingClientRect();
    const k = Math.max(this.view.k, 0.6);
    this.set({ k, x: r.width / 2 - x * k, y: r.height / 2 - y * k });
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const r = this.svgEl.getBoundingClientRect();
    this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }
}
