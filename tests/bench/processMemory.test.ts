import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumProcessType, descendants, processMemory } from '../../bench/processMemory';

describe('the bench’s process-memory sampler', () => {
  it('names Chromium’s process types from NUL- or space-separated command lines (Chromium rewrites its argv)', () => {
    expect(chromiumProcessType('/usr/lib/chromium/chromium\0--headless\0--no-sandbox')).toBe('browser');
    expect(chromiumProcessType('/usr/lib/chromium/chromium --type=renderer --crashpad-handler-pid=0')).toBe('renderer');
    expect(chromiumProcessType('/usr/lib/chromium/chromium\0--type=gpu-process\0--no-sandbox')).toBe('gpu');
    expect(chromiumProcessType('chromium --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US')).toBe('utility (NetworkService)');
    expect(chromiumProcessType('chromium --type=zygote --no-zygote-sandbox')).toBe('zygote');
  });

  it('reads RSS and PSS of a live process (PSS ≤ RSS, both as /proc/PID/status says) and finds a child among the descendants', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(descendants(process.pid)).toContain(child.pid);
      const m = processMemory(process.pid);
      const status = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${process.pid}/status`, 'utf8'))![1]) * 1024;
      expect(m.pss).toBeGreaterThan(0);
      expect(m.pss).toBeLessThanOrEqual(m.rss);
      // The two files are read at slightly different moments: within 10 %.
      expect(Math.abs(m.rss - status) / status).toBeLessThan(0.1);
      expect(processMemory(2 ** 30)).toEqual({ rss: 0, pss: 0 });
    } finally {
      child.kill();
    }
  });
});
