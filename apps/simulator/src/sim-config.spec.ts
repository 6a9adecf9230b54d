import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readScript, simulatorOptionsFromEnv } from './sim-config';

const dir = mkdtempSync(join(tmpdir(), 'baton-sim-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('simulatorOptionsFromEnv', () => {
  it('defaults to 127.0.0.1:8090, no latency, no rules', () => {
    expect(simulatorOptionsFromEnv({})).toEqual({ port: 8090, host: '127.0.0.1', latencyMs: 0, seed: '', rules: [] });
  });

  it('reads every variable', () => {
    const script = file('one.json', JSON.stringify({ id: 'r', match: {}, replies: [{ content: 'x' }] }));
    expect(
      simulatorOptionsFromEnv({ PORT: '9999', HOST: '0.0.0.0', SIM_LATENCY_MS: '25', SIM_SEED: 's1', SIM_SCRIPT_FILE: script }),
    ).toEqual({
      port: 9999,
      host: '0.0.0.0',
      latencyMs: 25,
      seed: 's1',
      rules: [{ id: 'r', match: {}, replies: [{ content: 'x' }] }],
    });
  });

  it('reads a latency range and a fault rate, which switches chaos on', () => {
    expect(simulatorOptionsFromEnv({ SIM_LATENCY_MS: '20-200', SIM_FAULT_RATE: '0.25', SIM_SEED: '7' })).toMatchObject({
      latencyMs: { min: 20, max: 200 },
      seed: '7',
      chaos: { faultRate: 0.25 },
    });
    expect(simulatorOptionsFromEnv({ SIM_LATENCY_MS: '40-40' }).latencyMs).toBe(40);
    expect(simulatorOptionsFromEnv({ SIM_LATENCY_MS: '' }).latencyMs).toBe(0);
    expect(simulatorOptionsFromEnv({ SIM_FAULT_RATE: '0' })).not.toHaveProperty('chaos');
  });

  it('fails naming the bad variable', () => {
    expect(() => simulatorOptionsFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => simulatorOptionsFromEnv({ SIM_LATENCY_MS: '-5' })).toThrow(/SIM_LATENCY_MS/);
    expect(() => simulatorOptionsFromEnv({ SIM_LATENCY_MS: '200-20' })).toThrow(/SIM_LATENCY_MS: MIN must not exceed MAX/);
    expect(() => simulatorOptionsFromEnv({ SIM_LATENCY_MS: '20-' })).toThrow(/SIM_LATENCY_MS/);
    expect(() => simulatorOptionsFromEnv({ SIM_FAULT_RATE: '1.5' })).toThrow(/SIM_FAULT_RATE/);
  });
});

describe('readScript', () => {
  it('accepts a list, a single rule, or { rules }', () => {
    const rule = { match: {}, replies: [{ content: 'x' }] };
    expect(readScript(file('list.json', JSON.stringify([rule, rule])))).toHaveLength(2);
    expect(readScript(file('single.json', JSON.stringify(rule)))).toEqual([rule]);
    expect(readScript(file('wrapped.json', JSON.stringify({ rules: [rule] })))).toEqual([rule]);
  });

  it('names the file when it is missing or not JSON', () => {
    expect(() => readScript(join(dir, 'missing.json'))).toThrow(/SIM_SCRIPT_FILE .*missing\.json/);
    expect(() => readScript(file('bad.json', '{'))).toThrow(/SIM_SCRIPT_FILE .*bad\.json/);
  });
});
