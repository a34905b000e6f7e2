/** A fresh seed every run (CONVTOPO_SEED=… replays one), and a seeded generator; put the seed in failure messages. */
import { mulberry32 } from '../../src/random';

export function freshSeed(): { seed: number; rand: () => number } {
  const seed = Number(process.env.CONVTOPO_SEED ?? Math.floor(Math.random() * 2 ** 31));
  return { seed, rand: mulberry32(seed) };
}
