import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { GLOSSARY, type TermId } from './glossary';

/**
 * A word with its glossary line: shown on hover or keyboard focus, hidden on leaving, blur or Escape (WCAG 1.4.13),
 * kept inside the viewport (it opens to the left near the right edge, above near the bottom).
 */
export function Term({ id, children }: { id: TermId; children?: ReactNode }) {
  const entry = GLOSSARY[id];
  const tipId = useId();
  const [open, setOpen] = useState(false);
  const [flip, setFlip] = useState({ left: false, up: false });
  const anchor = useRef<HTMLSpanElement>(null);
  const tip = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    if (!open || !anchor.current || !tip.current) return;
    const a = anchor.current.getBoundingClientRect();
    const t = tip.current.getBoundingClientRect();
    setFlip({ left: a.left + t.width > window.innerWidth - 8, up: a.bottom + t.height > window.innerHeight - 8 && a.top > t.height });
  }, [open]);
  return (
    <span
      ref={anchor}
      className="term"
      tabIndex={0}
      aria-describedby={tipId}
      data-term={id}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      {children ?? entry.term}
      <span ref={tip} id={tipId} role="tooltip" className={`term-tip${open ? ' open' : ''}${flip.left ? ' left' : ''}${flip.up ? ' up' : ''}`}>
        {entry.text}
      </span>
    </span>
  );
}
