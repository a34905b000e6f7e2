/** Messages above the views: a bad shared link, a failed load. Each can be dismissed; none blanks the page. */
export interface Notice {
  id: string;
  kind: 'info' | 'error';
  text: string;
}

export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: string) => void }) {
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.id}`}>
          <span>{n.text}</span>
          <button type="button" className="link" onClick={() => onDismiss(n.id)} aria-label="dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
