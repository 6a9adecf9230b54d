import { z } from 'zod';

const LatencyMs = z.number().int().nonnegative().max(600_000);

/** Faults a scripted reply can inject; 400/401/503 go beyond the basic set to exercise every error kind. */
export const SimFault = z.union([
  z.literal(400),
  z.literal(401),
  z.literal(429),
  z.literal(500),
  z.literal(503),
  /** Holds the request open until the client gives up (or the simulator closes). */
  z.literal('timeout'),
  /** Answers 200 with a body that is not a valid completion. */
  z.literal('malformed'),
]);
export type SimFault = z.infer<typeof SimFault>;

/** One scripted answer. Exactly one of `content`, `json`, `toolCalls`, `obey`, `fault`. */
export const SimReply = z.union([
  z.strictObject({
    /** Plain-text answer. */
    content: z.string(),
    /** Delay before answering; replaces the simulator-wide latency. */
    latencyMs: LatencyMs.optional(),
  }),
  z.strictObject({
    /** Any JSON value, sent as the message content (stringified). */
    json: z.json(),
    latencyMs: LatencyMs.optional(),
  }),
  z.strictObject({
    /** Tool calls to return with finish_reason `tool_calls`; the request must declare tools. */
    toolCalls: z
      .array(
        z.strictObject({
          /** Tool name. */
          name: z.string().min(1),
          /** Arguments object, sent JSON-encoded. */
          arguments: z.record(z.string(), z.json()),
        }),
      )
      .min(1),
    latencyMs: LatencyMs.optional(),
  }),
  z.strictObject({
    /**
     * A compromised model: obeys every `CALL <tool> {json}` line in its context (user input
     * and tool results alike), one tool call per turn, then answers with everything it read
     * from the user and tools, and its system prompt too when a `REVEAL` line asks for it.
     */
    obey: z.literal(true),
    latencyMs: LatencyMs.optional(),
  }),
  z.strictObject({
    /** Failure to inject instead of an answer. */
    fault: SimFault,
    latencyMs: LatencyMs.optional(),
  }),
]);
export type SimReply = z.infer<typeof SimReply>;

/** When a rule applies. Every given condition must hold; an empty match matches every request. */
export const SimMatch = z.strictObject({
  /** Exact model name of the request. */
  model: z.string().min(1).optional(),
  /** Substring of any message's content. */
  contains: z.string().min(1).optional(),
});
export type SimMatch = z.infer<typeof SimMatch>;

/** A scripted behaviour: which requests it answers and with what, in order. */
export const SimRule = z.strictObject({
  /** Name used in logs and in the "script exhausted" error; generated when absent. */
  id: z.string().min(1).max(200).optional(),
  /** Which requests the rule answers. */
  match: SimMatch.default({}),
  /** Answers, used one per matching request. */
  replies: z.array(SimReply).min(1),
  /** Cycle through the replies forever instead of failing once they are used up. */
  repeat: z.boolean().optional(),
});
export type SimRule = z.infer<typeof SimRule>;
/** A rule as a caller may write it (`match` may be left out). */
export type SimRuleInput = z.input<typeof SimRule>;

/** A delay drawn uniformly from `min` to `max` milliseconds, both included. */
export const LatencyRange = z
  .strictObject({
    /** Shortest delay. */
    min: LatencyMs,
    /** Longest delay. */
    max: LatencyMs,
  })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] });
export type LatencyRange = z.infer<typeof LatencyRange>;

/** Fault kinds chaos injects unless told otherwise: the ones a real provider produces under load. */
export const DEFAULT_CHAOS_FAULTS: readonly SimFault[] = [429, 500, 'timeout', 'malformed'];

/**
 * Faults and latency applied to every request no scripted rule matches (PUT /_sim/chaos).
 * Scripted rules stay exact: chaos never touches a request a rule answers.
 */
export const SimChaos = z.strictObject({
  /** Share of unmatched requests that get a fault, 0 to 1. */
  faultRate: z.number().min(0).max(1).default(0),
  /** Fault kinds to choose from, uniformly. */
  faults: z
    .array(SimFault)
    .min(1)
    .default(() => [...DEFAULT_CHAOS_FAULTS]),
  /** Delay of unmatched requests; replaces the simulator-wide latency. */
  latencyMs: LatencyRange.optional(),
  /** Seed of the fault and latency draws; defaults to the simulator's seed. */
  seed: z.union([z.string().max(200), z.number().int()]).optional(),
});
export type SimChaos = z.infer<typeof SimChaos>;
/** Chaos as a caller may write it (`faults` may be left out). */
export type SimChaosInput = z.input<typeof SimChaos>;

/** How to start the simulator. */
export interface SimulatorOptions {
  /** TCP port; 0 or absent picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Delay before every answer unless a reply sets its own; a range draws each delay from the seeded source. */
  latencyMs?: number | LatencyRange;
  /** Rules loaded at start, oldest first. */
  rules?: SimRuleInput[];
  /** Mixed into the hash behind default answers, to get a different but still deterministic set; also seeds chaos. */
  seed?: string;
  /** Chaos at start (and after POST /_sim/reset); none when absent. */
  chaos?: SimChaosInput;
  /** Names GET /v1/models lists; requests for other names are still answered. */
  models?: string[];
}

/** A running simulator. */
export interface RunningSimulator {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  url: string;
  /** Port it listens on. */
  port: number;
  /** Stops listening and drops open connections, held (`timeout`) requests included. */
  close(): Promise<void>;
}

/** Model names the simulator lists by default; they match config/models.yaml. */
export const DEFAULT_SIM_MODELS: readonly string[] = ['sim-mini', 'sim-standard', 'sim-large', 'sim-reasoner'];
