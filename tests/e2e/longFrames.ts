/**
 * Main-thread long tasks with their attribution. The Long Tasks API gives the durations the tests bound; the Long
 * Animation Frame API (Chromium) says which scripts ran in each long frame (source URL, function, invoker), so a
 * failing bound can name its cause.
 */
import type { Page } from 'playwright-core';

/** Init script: long tasks in `window.__longTasks` (as RECORD_LONG_TASKS) and long frames in `window.__longFrames`. */
export const RECORD_LONG_FRAMES = `
  window.__longTasks = [];
  window.__longTaskTimes = [];
  window.__longFrames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { window.__longTasks.push(e.duration); window.__longTaskTimes.push([e.startTime, e.duration]); }
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longFrames.push({
          startTime: e.startTime, duration: e.duration, blockingDuration: e.blockingDuration,
          renderStart: e.renderStart, styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: (e.scripts || []).map((s) => ({
            invoker: s.invoker, invokerType: s.invokerType, sourceURL: s.sourceURL, sourceFunctionName: s.sourceFunctionName,
            sourceCharPosition: s.sourceCharPosition, startTime: s.startTime, duration: s.duration,
            forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { /* no LoAF in this browser: durations only */ }
`;

export interface LongFrameScript {
  invoker: string;
  invokerType: string;
  sourceURL: string;
  sourceFunctionName: string;
  sourceCharPosition: number;
  startTime: number;
  duration: number;
  forcedStyleAndLayoutDuration: number;
}

export interface LongFrame {
  startTime: number;
  duration: number;
  blockingDuration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: LongFrameScript[];
}

export interface LongTaskReport {
  /** The longest long task (ms), 0 if none. */
  longest: number;
  /** Every long task's duration. */
  tasks: number[];
  /** The long animation frame that holds the longest task, in words (scripts by duration, then style/layout). */
  attribution: string;
  frames: LongFrame[];
}

function frameInWords(f: LongFrame): string {
  const scripts = [...f.scripts].sort((a, b) => b.duration - a.duration);
  const lines = scripts.map(
    (s) =>
      `  ${s.duration.toFixed(0)} ms ${s.invokerType} "${s.invoker}" ${s.sourceFunctionName || '(anonymous)'} ` +
      `${s.sourceURL.replace(/^.*\//, '')}:${s.sourceCharPosition}` +
      (s.forcedStyleAndLayoutDuration ? ` (forced layout ${s.forcedStyleAndLayoutDuration.toFixed(0)} ms)` : ''),
  );
  const render = f.renderStart > 0 ? f.startTime + f.duration - f.renderStart : 0;
  return `frame at ${f.startTime.toFixed(0)} ms: ${f.duration.toFixed(0)} ms (blocking ${f.blockingDuration.toFixed(0)} ms, rendering ${render.toFixed(0)} ms)\n${lines.join('\n')}`;
}

/** The long tasks recorded so far in a page opened with RECORD_LONG_FRAMES, the longest one attributed. */
export async function longTaskReport(page: Page): Promise<LongTaskReport> {
  const { tasks, times, frames } = await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskTimes: [number, number][]; __longFrames: LongFrame[] };
    return { tasks: w.__longTasks.slice(), times: w.__longTaskTimes.slice(), frames: w.__longFrames.slice() };
  });
  const longest = Math.max(0, ...tasks);
  const at = times.find(([, d]) => d === longest);
  // The frame that overlaps the longest task most; else the longest frame.
  let frame: LongFrame | undefined;
  if (at) {
    const [s, d] = at;
    let best = 0;
    for (const f of frames) {
      const overlap = Math.min(s + d, f.startTime + f.duration) - Math.max(s, f.startTime);
      if (overlap > best) [best, frame] = [overlap, f];
    }
  }
  frame ??= frames.reduce<LongFrame | undefined>((a, b) => (!a || b.duration > a.duration ? b : a), undefined);
  const attribution = frame ? frameInWords(frame) : 'no long animation frame recorded';
  return { longest, tasks, attribution: `longest task ${longest.toFixed(0)} ms at ${at ? at[0].toFixed(0) : '?'} ms; ${attribution}`, frames };
}
