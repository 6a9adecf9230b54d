import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Port, loadConfig } from '@baton/config';
import { z } from 'zod';
import type { SimRuleInput, SimulatorOptions } from './sim-types';

/** Variables the simulator reads. */
export const SimulatorEnv = z.object({
  /** Port to listen on. */
  PORT: Port(8090),
  /** Interface to bind; loopback unless a container needs 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Delay before every answer, in milliseconds. */
  SIM_LATENCY_MS: z.coerce.number().int().nonnegative().default(0),
  /** JSON file with rules to load at start: one rule, a list, or `{ "rules": [...] }`. */
  SIM_SCRIPT_FILE: z.string().min(1).optional(),
  /** Changes every default answer while keeping them deterministic. */
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
