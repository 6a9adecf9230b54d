import { InvalidArgumentError } from 'commander';
import { basePort, faultList, intAtLeast, latencyRange, positiveSeconds, rate } from './simulate-options';

describe('simulate option parsers', () => {
  it('reads latency as a range or a single value', () => {
    expect(latencyRange('20-200')).toEqual({ min: 20, max: 200 });
    expect(latencyRange('50')).toEqual({ min: 50, max: 50 });
    expect(() => latencyRange('200-20')).toThrow(/MIN \(200\) must not exceed MAX \(20\)/);
    expect(() => latencyRange('fast')).toThrow(InvalidArgumentError);
    expect(() => latencyRange('-5')).toThrow(InvalidArgumentError);
  });

  it('reads fault kinds, statuses as numbers, refusing unknown ones', () => {
    expect(faultList('429, 500,timeout,malformed,429')).toEqual([429, 500, 'timeout', 'malformed']);
    expect(() => faultList('429,418')).toThrow(/unknown fault kind 418/);
    expect(() => faultList(' , ')).toThrow(InvalidArgumentError);
  });

  it('checks rates, counts, ports and seconds', () => {
    expect(rate('0')).toBe(0);
    expect(rate('0.25')).toBe(0.25);
    expect(() => rate('1.5')).toThrow(/from 0 to 1/);
    expect(() => rate('')).toThrow(InvalidArgumentError);
    expect(intAtLeast(1)('20')).toBe(20);
    expect(() => intAtLeast(1)('0')).toThrow(/at least 1/);
    expect(() => intAtLeast(1)('2.5')).toThrow(InvalidArgumentError);
    expect(basePort('21080')).toBe(21080);
    expect(() => basePort('80')).toThrow(InvalidArgumentError);
    expect(() => basePort('65530')).toThrow(InvalidArgumentError);
    expect(positiveSeconds('1.5')).toBe(1.5);
    expect(() => positiveSeconds('0')).toThrow(InvalidArgumentError);
  });
});
