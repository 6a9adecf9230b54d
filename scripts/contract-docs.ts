import { allTopics, deadLetterTopic, eventJsonSchemas, EVENT_DEFINITIONS } from '@baton/contracts';

/** The files `docs/contracts/` holds, by relative path: one JSON Schema per event version and the topic map. */
export function contractDocs(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [key, schema] of Object.entries(eventJsonSchemas())) {
    files[`events/${key}.schema.json`] = JSON.stringify(schema, null, 2) + '\n';
  }
  const topics = EVENT_DEFINITIONS.map((d) => ({
    event: d.type,
    version: d.version,
    schema: `events/${d.type}@${d.version}.schema.json`,
  }));
  files['topics.json'] =
    JSON.stringify({ topics: allTopics().map((t) => ({ topic: t, deadLetter: deadLetterTopic(t), key: 'task id' })), events: topics }, null, 2) + '\n';
  return files;
}
