import { PassThrough } from 'node:stream';
import { createProgress, lineProgress, summarizeCounts } from './progress';

describe('lineProgress', () => {
  it('writes one line per tenth of the runs', () => {
    const lines: string[] = [];
    const p = lineProgress(20, (l) => lines.push(l));
    for (let i = 1; i <= 20; i++) p.update(i, { completed: i });
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('simulate: 2/20 runs ended (10%): completed 2');
    expect(lines.at(-1)).toBe('simulate: 20/20 runs ended (100%): completed 20');
  });

  it('writes a line per run when there are fewer than ten, and once for a jump over several tenths', () => {
    const few: string[] = [];
    const p = lineProgress(4, (l) => few.push(l));
    for (let i = 1; i <= 4; i++) p.update(i, { completed: i - 1, failed: 1 });
    expect(few).toHaveLength(4);
    expect(few[1]).toBe('simulate: 2/4 runs ended (50%): completed 1, failed 1');

    const jump: string[] = [];
    lineProgress(100, (l) => jump.push(l)).update(35, { completed: 35 });
    expect(jump).toEqual(['simulate: 35/100 runs ended (35%): completed 35']);
  });
});

describe('createProgress', () => {
  it('draws no bar when the stream is not a terminal', () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (c: Buffer) => (written += c.toString()));
    const p = createProgress(10, stream);
    p.update(1, { completed: 1 });
    p.stop();
    expect(written).toBe('simulate: 1/10 runs ended (10%): completed 1\n');
  });
});

describe('summarizeCounts', () => {
  it('names the outcomes seen so far', () => {
    expect(summarizeCounts({})).toBe('none yet');
    expect(summarizeCounts({ completed: 3, failed: 0, timed_out: 1 })).toBe('completed 3, timed_out 1');
  });
});
