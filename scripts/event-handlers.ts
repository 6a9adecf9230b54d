// The event handlers each deployable app declares, read from its source: every
// `@EventPattern('<type>', { group? })` with the consumer group it runs in. Specs hold the
// hand-written descriptions of the services (AsyncAPI participants, k8s autoscaling on
// group lag) to what the code declares.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** One declared handler: its event type and its group (the `group` option, else the service's name). */
export interface DeclaredHandler {
  type: string;
  group: string;
  /** The group is named by a constant the app splits into configured groups at start (the agent's per-role groups). */
  configured: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The handlers of one app (`apps/<app>/src`), from its source text. */
export function declaredHandlers(root: string, app: string): DeclaredHandler[] {
  const src = path.join(root, 'apps', app, 'src');
  const moduleFile = path.join(src, 'app.module.ts');
  const serviceName = existsSync(moduleFile) ? /ServiceKitModule\.forRoot\(\{\s*name:\s*'([^']+)'/.exec(readFileSync(moduleFile, 'utf8'))?.[1] : undefined;
  const out: DeclaredHandler[] = [];
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@EventPattern\(\s*'([^']+)'\s*(?:,\s*\{([^}]*)\})?\s*\)/g)) {
      const options = m[2] ?? '';
      const literal = /group:\s*'([^']+)'/.exec(options)?.[1];
      const constant = /group:\s*([A-Za-z_$][\w$]*)/.exec(options)?.[1];
      if (literal) out.push({ type: m[1], group: literal, configured: false });
      else if (constant) out.push({ type: m[1], group: constant, configured: true });
      else {
        if (!serviceName) throw new Error(`${file}: a handler in the default group, but no ServiceKitModule name in ${moduleFile}`);
        out.push({ type: m[1], group: serviceName, configured: false });
      }
    }
  }
  return out;
}

/** Apps with an entry point (`src/main.ts`), except those listed. */
export function deployableApps(root: string, except: ReadonlySet<string> = new Set()): string[] {
  return readdirSync(path.join(root, 'apps')).filter((a) => !except.has(a) && existsSync(path.join(root, 'apps', a, 'src', 'main.ts')));
}
