import type { ChatCompletionRequest } from './chat-request';
import { completionBody, type SimMessage } from './completion';
import { hashOf } from './deterministic';
import { HttpError, errorBody } from './http-io';
import { obey } from './obedient';
import type { SimFault, SimReply } from './sim-types';

/** The answer a rule's scripted reply (anything but a fault) gives to a chat request: content, JSON, tool calls, or obeying the request. */
export function answerScripted(
  req: ChatCompletionRequest,
  reply: Exclude<SimReply, { fault: SimFault }>,
  id: string,
  ruleId: string,
): { outcome: string; status: number; body: unknown } {
  if ('content' in reply) {
    return { outcome: 'content', status: 200, body: completionBody(req, { role: 'assistant', content: reply.content }, 'stop', id) };
  }
  if ('json' in reply) {
    const message: SimMessage = { role: 'assistant', content: JSON.stringify(reply.json) };
    return { outcome: 'json', status: 200, body: completionBody(req, message, 'stop', id) };
  }
  if ('obey' in reply) {
    const move = obey(req);
    if (move.kind === 'answer') return { outcome: 'obey', status: 200, body: completionBody(req, { role: 'assistant', content: move.content }, 'stop', id) };
    const message: SimMessage = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: `call_${hashOf(id, 'obey').slice(0, 24)}`, type: 'function', function: { name: move.directive.tool, arguments: JSON.stringify(move.directive.args) } }],
    };
    return { outcome: 'obey', status: 200, body: completionBody(req, message, 'tool_calls', id) };
  }
  if (!req.tools?.length) {
    // A script that calls tools the request never offered is a broken test; say so instead of answering.
    const message = `rule ${ruleId} replies with tool calls but the request declares no tools`;
    return { outcome: 'invalid', status: 500, body: errorBody(new HttpError(500, message, 'server_error', 'sim_script_error')) };
  }
  const message: SimMessage = {
    role: 'assistant',
    content: null,
    tool_calls: reply.toolCalls.map((call, i) => ({
      id: `call_${hashOf(id, String(i)).slice(0, 24)}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    })),
  };
  return { outcome: 'tool_calls', status: 200, body: completionBody(req, message, 'tool_calls', id) };
}
