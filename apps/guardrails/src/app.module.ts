import { Module } from '@nestjs/common';
import { ServiceKitModule } from '@baton/service-kit';
import { GUARDRAILS_CONFIG, loadGuardrailsConfig } from './config';
import { GuardrailsConsumer } from './guardrails.consumer';

@Module({
  imports: [ServiceKitModule.forRoot({ name: 'guardrails' })],
  providers: [{ provide: GUARDRAILS_CONFIG, useFactory: loadGuardrailsConfig }, GuardrailsConsumer],
})
export class AppModule {}
