import { z } from 'zod';

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() });
/** Content as the API allows it: a string, text parts, or null next to tool calls. */
const Content = z.union([z.string(), z.array(z.union([TextPart, z.looseObject({ type: z.string() })])), z.null()]);

const ToolCallParam = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

const Message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: Content }),
  z.looseObject({ role: z.literal('developer'), content: Content }),
  z.looseObject({ role: z.literal('user'), content: Content }),
  z.looseObject({
    role: z.literal('assistant'),
    content: Content.optional(),
    tool_calls: z.array(ToolCallParam).optional(),
  }),
  z.looseObject({ role: z.literal('tool'), content: Content, tool_call_id: z.string().min(1) }),
]);

const ResponseFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().regex(NAME, 'json_schema.name must match [a-zA-Z0-9_-]{1,64}'),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const Tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(NAME, 'function name must match [a-zA-Z0-9_-]{1,64}'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/**
 * The parts of a Chat Completions request the simulator understands. Unknown fields pass,
 * as with the real API; features the simulator cannot imitate are refused, not ignored.
 */
export const ChatCompletionRequest = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(Message).min(1),
    response_format: ResponseFormat.optional(),
    tools: z.array(Tool).optional(),
    temperature: z.number().min(0).max(2).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    n: z.number().int().nullish(),
    stream: z.boolean().nullish(),
  })
  .superRefine((req, ctx) => {
    if (req.stream) ctx.addIssue({ code: 'custom', path: ['stream'], message: 'the simulator does not stream' });
    if (req.n != null && req.n !== 1) ctx.addIssue({ code: 'custom', path: ['n'], message: 'the simulator returns one choice' });
  });
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

/** Text of one message, text parts joined. */
export function messageText(message: ChatCompletionRequest['messages'][number]): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

/** The JSON Schema the request asks the answer to satisfy, if any. */
export function requestedSchema(req: ChatCompletionRequest): Record<string, unknown> | undefined {
  const format = req.response_format;
  if (format?.type !== 'json_schema') return undefined;
  return format.json_schema.schema ?? {};
}
