import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { createPortal } from 'react-dom';

/** Least room between a tooltip and the edge of the window, in px. */
const EDGE = 8;

const markOf = (target: EventTarget | null): HTMLElement | null =>
  target instanceof Element ? target.closest<HTMLElement>('mark.entity[data-tip]') : null;

/**
 * The tooltip (`data-tip`) of the highlight in `container` under the pointer
 * or with keyboard focus: one element outside the text, fixed to the window
 * and kept inside it (below the highlight, or above it where there is no room
 * below). Inside the text it would be clipped by a block that skips painting
 * off screen (`content-visibility: auto` contains its paint), and a CSS
 * tooltip runs past the window's edge on a phone.
 */
export function EntityTooltip({ container }: { container: RefObject<HTMLElement | null> }) {
  const [hovered, setHovered] = useState<HTMLElement | null>(null);
  const [focused, setFocused] = useState<HTMLElement | null>(null);
  const tip = useRef<HTMLDivElement>(null);
  const target = hovered ?? focused;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const over = (e: MouseEvent) => setHovered(markOf(e.target));
    const leave = () => setHovered(null);
    const focusIn = (e: FocusEvent) => setFocused(markOf(e.target));
    const focusOut = () => setFocused(null);
    el.addEventListener('mouseover', over);
    el.addEventListener('mouseleave', leave);
    el.addEventListener('focusin', focusIn);
    el.addEventListener('focusout', focusOut);
    return () => {
      el.removeEventListener('mouseover', over);
      el.removeEventListener('mouseleave', leave);
      el.removeEventListener('focusin', focusIn);
      el.removeEventListener('focusout', focusOut);
    };
  }, [container]);

  useLayoutEffect(() => {
    const box = tip.current;
    if (!target || !box) return;
    const place = () => {
      if (!target.isConnected) return setHovered(null);
      // A highlight broken over two lines has two boxes: the tooltip goes under its last, or above its first.
      const rects = target.getClientRects();
      const first = rects[0] ?? target.getBoundingClientRect();
      const last = rects[rects.length - 1] ?? first;
      const width = document.documentElement.clientWidth;
      const height = document.documentElement.clientHeight;
      const left = Math.max(EDGE, Math.min(last.left, width - box.offsetWidth - EDGE));
      const below = last.bottom + 4;
      const top = below + box.offsetHeight <= height - EDGE || first.top - 4 - box.offsetHeight < EDGE ? below : first.top - 4 - box.offsetHeight;
      box.style.left = `${left}px`;
      box.style.top = `${top}px`;
    };
    place();
    window.addEventListener('scroll', place, { capture: true, passive: true });
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place, { capture: true });
      window.removeEventListener('resize', place);
    };
  }, [target]);

  if (!target) return null;
  // aria-hidden: screen readers have the same words as the highlight's name and the note after it.
  return createPortal(
    <div ref={tip} className="entity-tip" data-testid="entity-tip" aria-hidden="true">
      {target.dataset.tip}
    </div>,
    document.body,
  );
}
