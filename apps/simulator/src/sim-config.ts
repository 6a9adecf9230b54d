import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Port, loadConfig } from '@baton/config';
import { z } from 'zod';
import type { LatencyRange, SimRuleInput, SimulatorOptions } from './sim-types';

/** `N` or `MIN-MAX` milliseconds (empty: 0); a fixed delay becomes a number, a range stays a range. */
const LatencySetting = z
  .string()
  .trim()
  .regex(/^(\d+(-\d+)?)?$/, 'expected milliseconds as N or MIN-MAX, e.g. 50 or 20-200')
  .transform((s): number | LatencyRange => {
    const [min, max = min] = (s || '0').split('-').map(Number);
    return min === max ? min : { min, max };
  })
  .refine((l) => typeof l === 'number' || l.min <= l.max, 'MIN must not exceed MAX')
  .refine((l) => (typeof l === 'number' ? l : l.max) <= 600_000, 'at most 600000 ms');

/** Variables the simulator reads. */
export const SimulatorEnv = z.object({
  /** Port to listen on. */
  PORT: Port(8090),
  /** Interface to bind; loopback unless a container needs 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Delay before every answer in milliseconds: `N`, or `MIN-MAX` to draw each delay from that range. */
  SIM_LATENCY_MS: LatencySetting.default(0),
  /** Share (0 to 1) of requests no rule matches that get a fault (429, 500, timeout, malformed); 0 is off. */
  SIM_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  /** JSON file with rules to load at start: one rule, a list, or `{ "rules": [...] }`. */
  SIM_SCRIPT_FILE: z.string().min(1).optional(),
  /** Changes every default answer and every chaos draw while keeping them deterministic. */
  SIM_SEED: z.string().default(''),
});
export type SimulatorEnv = z.infer<typeof SimulatorEnv>;

/** Parses the environment (failing fast on bad values) into start options. */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorOptions {
  const cfg = loadConfig(SimulatorEnv, env);
  return {
    port: cfg.PORT,
    host: cfg.HOST,
    latencyMs: cfg.SIM_LATENCY_MS,
    seed: cfg.SIM_SEED,
    rules: cfg.SIM_SCRIPT_FILE ? readScript(cfg.SIM_SCRIPT_FILE) : [],
    ...(cfg.SIM_FAULT_RATE > 0 ? { chaos: { faultRate: cfg.SIM_FAULT_RATE } } : {}),
  };
}

/** Reads a script file; the rules themselves are validated when the simulator loads them. */
export function readScript(file: string): SimRuleInput[] {
  const path = resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`SIM_SCRIPT_FILE ${path}: ${(err as Error).message}`);
  }
  if (Array.isArray(raw)) return raw as SimRuleInput[];
  if (raw && typeof raw === 'object' && Array.isArray((raw as { rules?: unknown }).rules)) {
    return (raw as { rules: SimRuleInput[] }).rules;
  }
  return [raw as SimRuleInput];
}
