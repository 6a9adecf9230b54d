export {
  defineTool,
  ToolError,
  SideEffect,
  PiiKind,
  TOOL_NAME,
  type Tool,
  type ToolDefinition,
  type ToolContext,
  type ToolBackend,
  type ToolExecutionRecord,
  type ToolExecution,
  type ExecuteOutcome,
} from './tool';
export {
  ToolRegistry,
  describeIssues,
  type ToolFunctionSpec,
  type ToolRef,
  type ParsedArgs,
  type CheckedResult,
  type ToolInvocation,
} from './registry';
export { InMemoryToolBackend } from './memory-backend';
export {
  defaultRegistry,
  SAMPLE_TOOLS,
  COLLECTIONS,
  lookupInput,
  crmGetAccount,
  kbSearch,
  crmUpdateLead,
  sendEmail,
  issueRefund,
  Account,
  KbDocument,
  Payment,
} from './sample-tools';
export { DEMO_FIXTURES, seedDemoFixtures, type Fixture, type FixtureTarget } from './demo-fixtures';
export { toolGrantName } from './grants';
