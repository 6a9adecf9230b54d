import { token } from '@baton/config';
import type { MessageBus } from '@baton/messaging';
import type { StateStore } from '@baton/state';

/** Injection token of the service's StateStore (Redis). */
export const STATE_STORE = token<StateStore>('BATON_STATE_STORE');
/** Injection token of the service's MessageBus (Kafka). */
export const BUS = token<MessageBus>('BATON_BUS');
/** Injection token of the service's identity ({ name }). */
export const SERVICE_INFO = token<{ name: string }>('BATON_SERVICE_INFO');
