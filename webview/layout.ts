import type { LayoutRequest, LayoutResult } from '../src/core/view/layoutTypes';

/** Gives ELK this long before keeping the fallback layout (netron's practice). */
export const LAYOUT_TIME_LIMIT_MS = 4000;

/**
 * Lays out in a worker (elkjs), built from a blob so the webview's CSP allows it; resolves
 * undefined if the worker fails or misses the time limit, so the caller keeps the fallback.
 */
export async function elkLayout(workerUrl: string, req: LayoutRequest): Promise<LayoutResult | undefined> {
  let worker: Worker | undefined;
  try {
    const source = await (await fetch(workerUrl)).text();
    worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const w = worker;
    return await new Promise<LayoutResult | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), LAYOUT_TIME_LIMIT_MS);
      w.onmessage = (e: MessageEvent<LayoutResult>) => {
        clearTimeout(timer);
        resolve(e.data);
      };
      w.onerror = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
      w.postMessage(req);
    });
  } catch {
    return undefined;
  } finally {
    worker?.terminate();
  }
}
