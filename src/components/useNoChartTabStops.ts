import { useEffect, type RefObject } from 'react';

/** recharts' z-index layer groups inside each chart's <svg>. */
const LAYERS = 'svg g[class*="recharts-zIndex-layer"]:not([tabindex])';

/**
 * Keeps the charts under `root` out of the tab order. recharts 3.11 renders
 * its z-index layers as bare <g> groups (it dropped their tabindex="-1",
 * recharts#7805), and Chromium makes each one an unnamed tab stop: four to
 * six per chart. tabindex="-1" takes them out again; a MutationObserver
 * catches the groups of charts that render later (a report that loads, a
 * window resize). The figures are in the tables beside each chart.
 */
export function useNoChartTabStops(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const fix = () => el.querySelectorAll(LAYERS).forEach((g) => g.setAttribute('tabindex', '-1'));
    fix();
    const observer = new MutationObserver(fix);
    observer.observe(el, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [root]);
}
