import { runService } from '@baton/service-kit';
import { AppModule } from './app.module';

void runService(AppModule, { name: 'guardrails', defaultPort: 8081, consumer: true });
