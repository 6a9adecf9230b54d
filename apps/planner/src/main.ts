import { runService } from '@baton/service-kit';
import { AppModule } from './app.module';

void runService(AppModule, { name: 'planner', defaultPort: 8083, consumer: true });
