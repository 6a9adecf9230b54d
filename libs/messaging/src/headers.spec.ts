import { HeaderNames, decodeHeaders, eventHeaders } from './headers';

describe('eventHeaders', () => {
  it('adds content type and event type to the trace carrier', () => {
    const headers = eventHeaders({ type: 'task.submitted' }, { traceparent: '00-abc-def-01' });
    expect(headers).toEqual({
      traceparent: '00-abc-def-01',
      [HeaderNames.contentType]: 'application/json',
      [HeaderNames.eventType]: 'task.submitted',
    });
  });

  it('never lets the carrier overwrite Baton headers', () => {
    const headers = eventHeaders({ type: 'task.routed' }, { [HeaderNames.eventType]: 'forged', 'content-type': 'text/plain' });
    expect(headers[HeaderNames.eventType]).toBe('task.routed');
    expect(headers[HeaderNames.contentType]).toBe('application/json');
  });
});

describe('decodeHeaders', () => {
  it('turns buffers into strings and keeps strings', () => {
    expect(decodeHeaders({ traceparent: Buffer.from('00-a-b-01'), plain: 'x' })).toEqual({ traceparent: '00-a-b-01', plain: 'x' });
  });

  it('joins repeated headers with commas, as W3C tracestate allows', () => {
    expect(decodeHeaders({ tracestate: [Buffer.from('a=1'), 'b=2'] })).toEqual({ tracestate: 'a=1,b=2' });
  });

  it('drops undefined values and accepts missing headers', () => {
    expect(decodeHeaders({ gone: undefined })).toEqual({});
    expect(decodeHeaders(undefined)).toEqual({});
  });
});
