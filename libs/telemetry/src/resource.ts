import type { Attributes } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { ResourceAttr } from './names';

/** A process's identity on its telemetry. */
export interface ServiceIdentity {
  /** `service.name`, e.g. ServiceName.planner. */
  serviceName: string;
  /** `service.version`, when known. */
  serviceVersion?: string;
}

/** The SDK's default resource with the service's name and version, and `extra` on top. */
export function serviceResource(id: ServiceIdentity, extra: Attributes = {}): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      [ResourceAttr.serviceName]: id.serviceName,
      ...(id.serviceVersion ? { [ResourceAttr.serviceVersion]: id.serviceVersion } : {}),
      ...extra,
    }),
  );
}
