import { Controller, Get, Header } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '@baton/telemetry';

/** Every metric of this process in Prometheus text format, for a scraper; served on the service's own port. */
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return renderPrometheus();
  }
}
