import { runService } from '@baton/service-kit';
import { AppModule } from './app.module';

void runService(AppModule, { name: 'router', defaultPort: 8082, consumer: true });
