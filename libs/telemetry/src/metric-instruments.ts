/*
 * The only way Baton creates instruments: each helper takes a registry entry (typed, and
 * checked at run time) and its recordings accept only that entry's attribute keys.
 * Depends on @opentelemetry/api alone, so any library may record metrics.
 *
 * The API has no proxy meter provider: an instrument made before the SDK installs one stays
 * a no-op for good. So instruments resolve against the global provider when they record,
 * and again whenever that provider changes (tests install their own); observable gauges are
 * re-attached by rebindObservers when a provider is installed.
 */
import { metrics, type Meter, type MeterProvider, type MetricOptions, type ObservableCallback, type ObservableGauge } from '@opentelemetry/api';
import { Metric, type MetricKind, type MetricSpec, type RegisteredMetric } from './metric-names';

/** Instrumentation scope of every Baton metric. */
export const METER_NAME = 'baton';

/** Attributes a recording of `M` may carry: only its registered keys. */
export type MetricAttributes<M> = M extends MetricSpec<MetricKind, infer A> ? { [K in A]?: string | number | boolean } : never;

type OfKind<K extends MetricKind> = Extract<RegisteredMetric, { kind: K }>;

/** A counter of a registered metric. */
export interface MetricCounter<A> {
  /** Adds a non-negative amount. */
  add(value: number, attributes: A): void;
}

/** A histogram of a registered metric. */
export interface MetricHistogram<A> {
  record(value: number, attributes: A): void;
}

/** Reports the current values of an observable gauge; called each time metrics are collected. */
export type GaugeObserver<A> = (observe: (value: number, attributes: A) => void) => void | Promise<void>;

const registered: ReadonlySet<MetricSpec> = new Set<MetricSpec>(Object.values(Metric));

function checked<M extends MetricSpec>(m: M, kind: MetricKind): M {
  if (!registered.has(m)) throw new Error(`metric ${m.name} is not in the registry (libs/telemetry/src/metric-names.ts)`);
  if (m.kind !== kind) throw new Error(`metric ${m.name} is a ${m.kind}, not a ${kind}`);
  return m;
}

function options(m: MetricSpec): MetricOptions {
  return {
    description: m.description,
    unit: m.unit,
    ...(m.buckets ? { advice: { explicitBucketBoundaries: [...m.buckets] } } : {}),
  };
}

/** The instrument made by `make` on the current global provider, remade when that provider changes. */
function onCurrentProvider<T>(make: (meter: Meter) => T): () => T {
  let provider: MeterProvider | undefined;
  let instrument: T | undefined;
  return () => {
    const current = metrics.getMeterProvider();
    if (instrument === undefined || current !== provider) {
      provider = current;
      instrument = make(current.getMeter(METER_NAME));
    }
    return instrument;
  };
}

/** A counter for a registered counter metric. */
export function metricCounter<M extends OfKind<'counter'>>(m: M): MetricCounter<MetricAttributes<M>> {
  const spec = checked(m, 'counter');
  const get = onCurrentProvider((meter) => meter.createCounter(spec.name, options(spec)));
  return { add: (value, attributes) => get().add(value, attributes) };
}

/** A histogram for a registered histogram metric. */
export function metricHistogram<M extends OfKind<'histogram'>>(m: M): MetricHistogram<MetricAttributes<M>> {
  const spec = checked(m, 'histogram');
  const get = onCurrentProvider((meter) => meter.createHistogram(spec.name, options(spec)));
  return { record: (value, attributes) => get().record(value, attributes) };
}

interface Binding {
  spec: MetricSpec;
  callback: ObservableCallback;
  provider?: MeterProvider;
  gauge?: ObservableGauge;
}

const bindings = new Set<Binding>();

function bind(b: Binding): void {
  const current = metrics.getMeterProvider();
  if (b.provider === current) return;
  b.gauge?.removeCallback(b.callback);
  b.gauge = current.getMeter(METER_NAME).createObservableGauge(b.spec.name, options(b.spec));
  b.gauge.addCallback(b.callback);
  b.provider = current;
}

/**
 * Reports a registered observable gauge through `observer`, called at every collection
 * (a /metrics scrape, an OTLP export). Returns a function that stops reporting.
 */
export function observeMetric<M extends OfKind<'observable_gauge'>>(m: M, observer: GaugeObserver<MetricAttributes<M>>): () => void {
  const spec = checked(m, 'observable_gauge');
  const binding: Binding = {
    spec,
    callback: (result) => observer((value, attributes) => result.observe(value, attributes)),
  };
  bindings.add(binding);
  bind(binding);
  return () => {
    bindings.delete(binding);
    binding.gauge?.removeCallback(binding.callback);
  };
}

/** Attaches every observable gauge to the global meter provider; call after installing one. */
export function rebindObservers(): void {
  for (const b of bindings) bind(b);
}
