import { runService } from '@baton/service-kit';
import { AppModule } from './app.module';

void runService(AppModule, { name: 'cost-accountant', defaultPort: 8085, consumer: true });
