/**
 * An init script that records, from navigation start, when the first persistence-diagram point appears in the page
 * (`window.__firstDiagramMs`), and (polled every 20 ms) when the backend was chosen and the activations arrived
 * (`window.__marks`). Shared by tests/e2e/firstDiagram.e2e.ts and `npm run bench -- firstdiagram`.
 */
export const MARK_FIRST_DIAGRAM = `
  window.__marks = {};
  const poll = setInterval(() => {
    const m = window.__marks;
    if (m.backend === undefined && document.querySelector('[data-testid="backend-name"]')) m.backend = performance.now();
    if (m.clouds === undefined && window.__convtopo && window.__convtopo.clouds) m.clouds = performance.now();
    if (m.backend !== undefined && m.clouds !== undefined) clearInterval(poll);
  }, 20);
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid="persistence-diagram"] .pd-point')) {
      window.__firstDiagramMs = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;
