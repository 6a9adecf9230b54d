import { runService } from '@baton/service-kit';
import { AppModule } from './app.module';

void runService(AppModule, { name: 'agent', defaultPort: 8084, consumer: true });
