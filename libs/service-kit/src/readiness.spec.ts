import { Readiness } from './readiness';

describe('Readiness', () => {
  it('waits for nothing until something is expected', () => {
    expect(new Readiness().waitingFor()).toEqual([]);
  });

  it('lists what is expected, once each, in the order it was declared', () => {
    const r = new Readiness();
    r.expect('consumer baton-router');
    r.expect('consumer baton-planner');
    r.expect('consumer baton-router');
    expect(r.waitingFor()).toEqual(['consumer baton-router', 'consumer baton-planner']);
  });

  it('stops waiting for what completes, and only for that', () => {
    const r = new Readiness();
    r.expect('a');
    r.expect('b');
    r.complete('a');
    expect(r.waitingFor()).toEqual(['b']);
    r.complete('b');
    expect(r.waitingFor()).toEqual([]);
  });

  it('does not wait for something that completed before it was expected', () => {
    // A consumer can join its group before the code that registers it calls expect();
    // that late expect() must not leave the service unready for good.
    const r = new Readiness();
    r.complete('consumer baton-agent');
    r.expect('consumer baton-agent');
    expect(r.waitingFor()).toEqual([]);
  });

  it('accepts completing unknown names and completing twice', () => {
    const r = new Readiness();
    r.expect('a');
    r.complete('never-expected');
    r.complete('a');
    r.complete('a');
    expect(r.waitingFor()).toEqual([]);
  });

  it('hands out a copy, so callers cannot change what it waits for', () => {
    const r = new Readiness();
    r.expect('a');
    r.waitingFor().length = 0;
    expect(r.waitingFor()).toEqual(['a']);
  });
});
